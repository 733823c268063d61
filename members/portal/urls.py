"""The member portal under ``/me/`` (projects' pages are included beside it in config/urls.py)."""

from django.urls import path

from members.portal import views

app_name = "portal"
urlpatterns = [
    path("login/", views.MemberLoginView.as_view(), name="login"),
    path("logout/", views.MemberLogoutView.as_view(), name="logout"),
    path("activate/", views.activate, name="activate"),
    path("", views.home, name="home"),
    path("life/", views.life, name="life"),
    path("points/", views.points, name="points"),
    path("dues/", views.dues, name="dues"),
    path("service/", views.service, name="service"),
    path("report/", views.report, name="report"),
    path("checkins/", views.checkins, name="checkins"),
    path("checkin/<int:meeting_id>/", views.scan, name="scan"),
]
