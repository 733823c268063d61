from django.urls import path
from rest_framework.routers import SimpleRouter

from core.api.ops import ProbeView
from organizations.api import views, webhooks
from organizations.quality.api import DataQualityView
from organizations.statistics import api as stats

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("compounds", views.CompoundViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("venues", views.VenueViewSet)
router.register("webhooks", webhooks.WebhookViewSet)
router.register("webhook-deliveries", webhooks.WebhookDeliveryViewSet)

urlpatterns = [
    path("stats/overview/", stats.StatsOverviewView.as_view(), name="stats-overview"),
    path("stats/breakdown/", stats.StatsBreakdownView.as_view(), name="stats-breakdown"),
    path("stats/trend/", stats.StatsTrendView.as_view(), name="stats-trend"),
    path("data-quality/", DataQualityView.as_view(), name="data-quality"),
    path("ops/probe/", ProbeView.as_view(), name="ops-probe"),
    *router.urls,
]
