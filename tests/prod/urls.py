"""URLs for the security tests: the project's URLs plus ``/branch/login/`` built with Django's
LoginView exactly as the secretary pages build it (when the pages exist, theirs come first)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("branch/login/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="branch-login-test"),
]
