from django.urls import path
from rest_framework.routers import SimpleRouter

from members.api import meeting_views
from members.clerk.api import BehindView

router = SimpleRouter()
router.register("meetings", meeting_views.MeetingViewSet)

urlpatterns = [
    path("compliance/behind/", BehindView.as_view(), name="compliance-behind"),
    path("compliance/", meeting_views.ComplianceView.as_view(), name="compliance"),
    *router.urls,
]
