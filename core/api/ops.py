"""Operations endpoints for the deployment drills (staff only)."""

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import StrictSerializerMixin
from core.queueing import enqueue


class ProbeSerializer(StrictSerializerMixin, serializers.Serializer):
    key = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,100}$")
    value = serializers.IntegerField()


class ProbeView(APIView):
    """Queue the idempotent probe task (``core.health.probe``): 202 when queued,
    503 with a message when the task queue is unavailable — never a 500."""

    permission_classes = [IsAdminUser]
    serializer_class = ProbeSerializer

    def post(self, request):
        from core.health import probe

        payload = ProbeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if enqueue(probe, payload.validated_data["key"], payload.validated_data["value"]):
            return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
        return Response(
            {
                "detail": _("The task queue is unavailable right now; try again later."),
                "code": "queue_unavailable",
                "queued": False,
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
