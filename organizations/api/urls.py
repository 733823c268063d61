from django.urls import path
from rest_framework.routers import SimpleRouter

from organizations.api import views
from organizations.api.ops import ProbeView

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("compounds", views.CompoundViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("venues", views.VenueViewSet)

urlpatterns = [*router.urls, path("ops/probe/", ProbeView.as_view(), name="ops-probe")]
