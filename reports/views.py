"""The program overview's lists, trends, CSV exports, the printable annual report and the
department view. Every page is a program admin's: a stranger gets 404 (programs.access)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from programs.access import program_for_admin
from programs.models import Program
from programs.spreadsheet import csv_download
from reports import exports, selectors
from reports.trends import program_trends

PER_PAGE = 50


def department(request):
    """The tiles of every program the person administers, side by side, and their totals (two
    queries in all)."""
    programs = list(Program.objects.administered_by(request.user).order_by("name", "pk"))
    if not programs:
        raise Http404
    overviews = selectors.overviews(programs)
    return render(
        request,
        "reports/department.html",
        {"overviews": overviews, "totals": selectors.department_totals(overviews)},
    )


def tile_list(request, slug, kind):
    program = program_for_admin(request.user, slug=slug)
    if kind not in selectors.LISTS:
        raise Http404
    now = timezone.now()
    rows = selectors.list_rows(kind, program, now=now)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/tile_list.html",
        {
            "program": program,
            "kind": kind,
            "title": selectors.LISTS[kind],
            "page": page,
            "rows": list(page.object_list),
        },
    )


def tile_list_csv(request, slug, kind):
    program = program_for_admin(request.user, slug=slug)
    if kind not in selectors.LISTS:
        raise Http404
    rows = selectors.list_rows(kind, program, now=timezone.now())
    header, lines = exports.list_csv(kind, rows, zone=request.user.zone)
    return csv_download(f"{program.slug}-{kind}.csv", header, lines)


def trends(request, slug):
    program = program_for_admin(request.user, slug=slug)
    return render(
        request,
        "reports/trends.html",
        {"program": program, "trends": program_trends(program, zone=request.user.zone)},
    )


def export_list(request, slug):
    program = program_for_admin(request.user, slug=slug)
    return render(
        request,
        "reports/exports.html",
        {"program": program, "exports": list(exports.EXPORTS.values())},
    )


def export_csv(request, slug, key):
    program = program_for_admin(request.user, slug=slug)
    export = exports.EXPORTS.get(key)
    if export is None:
        raise Http404
    rows = export.rows(program, zone=request.user.zone, now=timezone.now())
    return csv_download(f"{program.slug}-{key}.csv", export.header, rows)


def mentor_load(request, slug):
    program = program_for_admin(request.user, slug=slug)
    page = Paginator(exports.mentor_load(program), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/mentor_load.html",
        {"program": program, "page": page, "mentors": list(page.object_list)},
    )


def annual(request, slug):
    """One printable page: the overview's tiles and the 12 months' totals and charts."""
    program = program_for_admin(request.user, slug=slug)
    now = timezone.now()
    return render(
        request,
        "reports/annual.html",
        {
            "program": program,
            "overview": selectors.overview(program, now=now),
            "trends": program_trends(program, zone=request.user.zone, now=now),
            "generated": now,
        },
    )
