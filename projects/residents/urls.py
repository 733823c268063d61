"""Public resident pages (no login): ``/r/c/<compound token>/`` and ``/r/t/<tracking token>/``."""

from django.urls import path

from projects.residents import views

app_name = "residents"
urlpatterns = [
    path("c/<str:token>/", views.compound_page, name="compound"),
    path("t/<str:token>/", views.track, name="track"),
]
