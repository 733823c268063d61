from django.urls import path
from rest_framework.routers import SimpleRouter

from projects.api import views

router = SimpleRouter()
router.register("partner-units", views.PartnerUnitViewSet)
router.register("agreements", views.AgreementViewSet)
router.register("resources", views.ResourceViewSet)
router.register("needs", views.NeedViewSet)
router.register("projects", views.ProjectViewSet)
router.register("activities", views.ActivityViewSet)
router.register("micro-wishes", views.MicroWishViewSet)
router.register("requests", views.ResidentRequestViewSet)

urlpatterns = [
    path("stats/service/", views.ServiceStatsView.as_view(), name="stats-service"),
    *router.urls,
]
