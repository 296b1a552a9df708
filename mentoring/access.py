"""The one way a view turns an id from a URL into an object for the current user."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


def get_visible_or_404(model: type[M] | models.QuerySet, user, **lookup) -> M:
    """Fetch through `visible_to(user)` of the model (or of a queryset with select_related).

    Not visible and missing look the same: 404, so an id from a URL tells an outsider nothing.
    """
    queryset = model if isinstance(model, models.QuerySet) else model.objects.all()
    return get_object_or_404(queryset.visible_to(user), **lookup)


def require(allowed: bool) -> None:
    """May see it but may not do this to it: 403."""
    if not allowed:
        raise PermissionDenied
