"""Token authentication: ``POST /api/v1/auth/token/`` with username and password (plus
``otp_token`` for users who need two-factor login, unless the session is already verified),
and ``POST /api/v1/auth/token/rotate/`` for a new key."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.auth import tokens, twofactor


class TokenRateThrottle(AnonRateThrottle):
    scope = "token"
    rate = "20/min"


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(label=_("Verification code"), required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("token"))
    expires_at = serializers.DateTimeField(label=_("expires at"))


def _second_factor_ok(request, user, code: str) -> bool:
    """Issuing a token needs the second factor from the users who have one to give: a session
    of the same user already verified, or a valid code in the request."""
    if not twofactor.must_verify(user):
        return True
    session_user = getattr(request._request, "user", None)
    if session_user is not None and session_user.pk == user.pk and twofactor.is_verified(session_user):
        return True
    return bool(code) and twofactor.verify_code(user, code) is not None


def _token_response(token):
    return Response({"token": token.key, "expires_at": tokens.expires_at(token)})


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (JSON or form body)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not _second_factor_ok(request, user, serializer.validated_data.get("otp_token", "")):
            raise serializers.ValidationError(
                {"otp_token": [_("Two-factor verification is required: enter the code from your authenticator app.")]}
            )
        return _token_response(tokens.token_for(user=user))


class RotateTokenView(APIView):
    """Replace the caller's token with a new one (the old key stops working at once)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]

    @extend_schema(request=None, responses=TokenResponseSerializer)
    def post(self, request, *args, **kwargs):
        if request.auth is None and twofactor.must_verify(request.user):
            # A session without the second factor may not mint a credential.
            raise serializers.ValidationError({"otp_token": [twofactor.required_message()]})
        return _token_response(tokens.token_rotate(user=request.user))
