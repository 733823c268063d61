from django.urls import path

from core.auth import views

app_name = "core"

urlpatterns = [
    path("2fa/setup/", views.setup, name="2fa-setup"),
    path("2fa/verify/", views.verify, name="2fa-verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="2fa-recovery-codes"),
]
