from django.contrib.auth import views as auth_views
from django.urls import path

from core.auth import views

app_name = "core"

urlpatterns = [
    path("2fa/setup/", views.setup, name="2fa-setup"),
    path("2fa/verify/", views.verify, name="2fa-verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="2fa-recovery-codes"),
    # For every signed-in user (branch secretaries are not admin staff): the admin's own page
    # needs staff status.
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/account/password/done/"),
        name="password-change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password-change-done"),
]
