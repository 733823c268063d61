"""``/ledgers/``: one branch's ledger, and the background jobs of many (members.ledgers.views)."""

from django.urls import path

from members.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("<int:branch_id>/", views.ledger_download, name="download"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("jobs/<int:pk>/file/", views.job_download, name="job_file"),
]
