"""JSON errors for every API failure: bad input is 400 with field errors, never a 500."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def django_validation_error_detail(exc: DjangoValidationError):
    """Turn a Django ValidationError from a service into DRF's error shape."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for error in errors for m in error.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def json_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside your scope."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # read by the parser: a JSON 400, not Django's HTML page
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
        exc = exceptions.ParseError(_("The request is too large (at most %(mb)d MB).") % {"mb": limit})
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, list):
        data = {"non_field_errors": data}
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        data = {"detail": data["detail"], "code": getattr(data["detail"], "code", "error")}
    elif response.status_code == status.HTTP_400_BAD_REQUEST:
        data = {"detail": _("Invalid input."), "code": "invalid", "errors": data}
    response.data = data
    return response


def error_response(message: str, code: str = "invalid", status_code: int = 400) -> Response:
    return Response({"detail": message, "code": code}, status=status_code)
