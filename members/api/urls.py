from django.urls import path
from rest_framework.routers import SimpleRouter

from members.api import ledger_views, structure_views, views

router = SimpleRouter()
router.register("members", views.MemberViewSet)
router.register("positions", views.PositionViewSet)
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
