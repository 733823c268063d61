"""Token authentication: ``POST /api/v1/auth/token/`` with username and password."""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle


class TokenRateThrottle(AnonRateThrottle):
    scope = "token"
    rate = "20/min"


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (JSON or form body)."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]
