"""Authentication backend with the login lockout (see ``core.auth.lockout``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.auth import lockout
from core.request_context import client_address


class LockoutModelBackend(ModelBackend):
    """Django's model backend, refusing locked accounts/addresses before checking the password
    and counting failures. A locked attempt raises a ValidationError with the wait, which the
    login forms and the token serializer show as a form error (a 400 on the API)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else None
        keys = lockout.keys_for(username, address)
        lockout.check(keys)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.record_failure(keys)
        else:
            lockout.record_success(username, address)
        return user
