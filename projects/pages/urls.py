"""Phone pages of residents' requests and micro-wishes, included under ``/branch/``."""

from django.urls import path

from projects.pages import views

app_name = "branch_requests"
urlpatterns = [
    path("<int:branch_id>/requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("<int:branch_id>/wishes/", views.wish_list, name="wishes"),
]
