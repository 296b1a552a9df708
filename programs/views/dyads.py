from django.shortcuts import render

from mentoring.access import get_visible_or_404, require
from programs.models import Dyad, Program
from programs.selectors import is_program_admin, program_dyads


def program_detail(request, slug):
    program = get_visible_or_404(Program, request.user, slug=slug)
    require(is_program_admin(request.user, program))
    dyads = list(program_dyads(program).order_by("status", "mentee__name"))
    return render(request, "programs/program_detail.html", {"program": program, "dyads": dyads})


def dyad_detail(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee", "agreement", "replaces__mentor"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "programs/dyad_detail.html",
        {
            "dyad": dyad,
            "is_admin": is_program_admin(request.user, dyad.program),
            "role": dyad.role_of(request.user),
        },
    )
