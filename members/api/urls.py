from django.urls import path
from rest_framework.routers import SimpleRouter

from members.api import ledger_views, structure_views, views
from members.development.api.views import CandidateViewSet
from members.volunteering.api import ServiceRecordViewSet, VolunteerPostViewSet

router = SimpleRouter()
router.register("members", views.MemberViewSet)
router.register("positions", views.PositionViewSet)
router.register("candidates", CandidateViewSet)
router.register("volunteer-posts", VolunteerPostViewSet)
router.register("service-records", ServiceRecordViewSet)
router.register("branch-structure", structure_views.BranchStructureViewSet, basename="branch-structure")

urlpatterns = [
    path(
        "organizations/<int:pk>/structure/",
        structure_views.BranchStructureView.as_view(),
        name="organization-structure",
    ),
    path("organizations/<int:pk>/ledger/", ledger_views.LedgerView.as_view(), name="organization-ledger"),
    *router.urls,
]
