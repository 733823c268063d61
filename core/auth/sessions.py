"""Password change ends the user's other credentials.

Sessions: Django already ends every other session when a password changes (each session keeps
a hash of the password; ``update_session_auth_hash`` re-signs only the session that made the
change). API tokens do not carry such a hash, so they are deleted here.
"""

from django.contrib.auth import get_user_model


def end_other_credentials_on_password_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    old = get_user_model()._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()
        # The user changing their own password clears a "must change" set by an administrator.
        from core.auth import accounts
        from core.request_context import current_request

        request = current_request()
        if request is not None and getattr(getattr(request, "user", None), "pk", None) == instance.pk:
            accounts.password_changed_by_user(user=instance)
