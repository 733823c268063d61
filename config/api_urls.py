"""``/api/v1/``: each app contributes its own ``api/urls.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core.auth.api import ObtainTokenView, RotateTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/token/rotate/", RotateTokenView.as_view(), name="api-token-rotate"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("organizations.api.urls")),
    path("", include("members.api.urls")),
    path("", include("members.api.meeting_urls")),
    path("", include("committees.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("organizations.api.scoring_urls")),
    path("", include("members.api.points_urls")),
    path("", include("members.transfers.api.urls")),
    path("", include("members.api.dues_urls")),
    path("", include("members.elections.api.urls")),
]
