"""The one way an API view turns an id from its URL into an object: scoped to the token's programs.
Not readable and missing look the same (404), as on the site's pages (mentoring.access)."""

from django.db import models
from django.shortcuts import get_object_or_404

from api.auth import TokenClient
from feedback.models import FeedbackCycle
from meetings.models import Meeting
from programs.models import Program

# The path from each kind of row to its program.
PROGRAM_PATH = {Program: "id", Meeting: "dyad__program_id", FeedbackCycle: "program_id"}


def get_readable_or_404(rows: models.QuerySet, client: TokenClient, **lookup):
    path = PROGRAM_PATH.get(rows.model, "program_id")
    return get_object_or_404(rows.filter(**{f"{path}__in": client.program_ids}), **lookup)
