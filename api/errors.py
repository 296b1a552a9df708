"""Every API error is JSON with a message a person can act on: {"error": {"code", "message"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


class BadParameter(exceptions.ValidationError):
    """A query parameter the API cannot use: 400, naming the parameter."""

    def __init__(self, name: str, message: str):
        super().__init__({name: [message]})


def _flatten(detail) -> tuple[str, dict]:
    if isinstance(detail, dict):
        fields = {
            key: [str(m) for m in (v if isinstance(v, list) else [v])] for key, v in detail.items()
        }
        message = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in fields.items())
        return message, fields
    if isinstance(detail, list):
        return " ".join(str(m) for m in detail), {}
    return str(detail), {}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nothing with that id is readable with this token."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    message, fields = _flatten(exc.detail if isinstance(exc, exceptions.APIException) else "")
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "invalid" if isinstance(exc, exceptions.ValidationError) else "error"
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response.data = body
    return response


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse(
        {"error": {"code": "not_found", "message": _("There is no such API address.")}},
        status=404,
    )
