"""Micro-wishes and dispatched requests of the member portal (included under ``/me/``)."""

from django.urls import path

from projects.portal import views

app_name = "portal_projects"
urlpatterns = [
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/<int:pk>/claim/", views.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", views.wish_fulfil, name="wish_fulfil"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
