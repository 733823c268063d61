"""Branch secretary pages under ``/branch/`` (organizational-life issue)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from members.development import pages as development_pages
from members.ledgers import views as ledger_views
from members.pages import appraisal, dues, portal, reports, views
from members.volunteering import pages as volunteering_pages

app_name = "branch"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="branch/login.html", redirect_authenticated_user=True, next_page="branch:home"
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="branch:login"), name="logout"),
    path("", views.home, name="home"),
    path("<int:branch_id>/", views.dashboard, name="dashboard"),
    path("<int:branch_id>/meetings/", views.meeting_list, name="meetings"),
    path("<int:branch_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<int:branch_id>/members/", views.member_list, name="members"),
    path("<int:branch_id>/ledger/", ledger_views.branch_ledger_page, name="ledger"),
    path("<int:branch_id>/dues/", dues.dues_month, name="dues"),
    path("<int:branch_id>/appraisal/", appraisal.appraisal_year, name="appraisal"),
    path("<int:branch_id>/calendar/", views.calendar_link, name="calendar_link"),
    path("<int:branch_id>/calendar.ics", views.calendar_feed, name="calendar"),
    path("<int:branch_id>/candidates/", development_pages.candidate_list, name="candidates"),
    path("candidates/<int:pk>/record/", development_pages.candidate_record, name="candidate_record"),
    path("<int:branch_id>/reports/", reports.reports, name="reports"),
    path("<int:branch_id>/volunteers/", volunteering_pages.volunteers, name="volunteers"),
    path("service-records/<int:pk>/confirm/", volunteering_pages.confirm, name="service_confirm"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/checkin/", portal.meeting_checkin, name="meeting_checkin"),
    path("<int:branch_id>/members/<int:member_id>/login/", portal.member_login, name="member_login"),
]
