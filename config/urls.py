"""Top-level URLs: admin, API, the branch secretary pages and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from organizations.files import serve_file
from organizations.statistics.bigscreen import bigscreen
from organizations.statistics.dashboard import dashboard
from organizations.views import healthz

admin.site.site_header = "支部建在小区 · 党建管理平台"
admin.site.site_title = "党建管理平台"
admin.site.index_title = "管理首页"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("account/", include("core.auth.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/screen/", bigscreen, name="dashboard-screen"),
    path("api/v1/", include("config.api_urls")),
    path("branch/", include("members.pages.urls")),
    path("branch/", include("projects.pages.urls")),
    path("r/", include("projects.residents.urls")),
    path("ledgers/", include("members.ledgers.urls")),
    # 党员端: the member's own pages; the projects app adds its wishes and requests beside them.
    path("me/", include("members.portal.urls")),
    path("me/", include("projects.portal.urls")),
]

# Uploaded files only through the scoped view, in DEBUG too (organizations.files).
urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:name>", serve_file, name="media"))
