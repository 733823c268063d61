from django.urls import path
from rest_framework.routers import SimpleRouter

from committees.api import elections, views

router = SimpleRouter()
router.register("committees", views.CommitteeViewSet)
router.register("seats", views.SeatViewSet)
router.register("property-firms", views.PropertyFirmViewSet)
router.register("service-contracts", views.ServiceContractViewSet)
router.register("fee-collections", views.FeeCollectionViewSet)
router.register("evaluations", views.EvaluationViewSet)
router.register("matters", views.MatterViewSet)
router.register("committee-elections", elections.CommitteeElectionViewSet)

urlpatterns = [
    path("stats/governance/", views.GovernanceStatsView.as_view(), name="stats-governance"),
    *router.urls,
]
