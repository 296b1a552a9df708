from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback import rules, selectors, services
from feedback.forms import (
    CadenceForm,
    CycleForm,
    FeedbackForm,
    QuestionForm,
    ResolveForm,
    initial_from,
)
from feedback.models import AGGREGATE_THRESHOLD, AttentionItem, FeedbackCycle, FeedbackRequest
from feedback.touch import out_of_touch_dyads
from meetings.selectors import overdue_dyads
from mentoring.access import get_visible_or_404, require
from mentoring.paging import query_without
from programs.access import program_for_admin

# Rows per page of the lists that grow with a program (cycle progress, mentors' ratings).
PER_PAGE = 50


def mine(request):
    return render(
        request,
        "feedback/mine.html",
        {
            "open_requests": list(
                selectors.open_requests_for(request.user).select_related("dyad__program")
            ),
            "all_requests": list(selectors.my_requests(request.user)),
        },
    )


def _feedback_request_or_404(user, pk: int) -> FeedbackRequest:
    return get_visible_or_404(
        FeedbackRequest.objects.select_related(
            "dyad__program",
            "dyad__mentor",
            "dyad__mentee",
            "cycle",
            "author",
            "subject",
            "counterpart__author",
        ),
        user,
        pk=pk,
    )


def _answer_form(request, feedback_request, draft) -> FeedbackForm | None:
    """The form of the author's answers, filled with their draft; None when they may not answer
    (anyone but the author, or it is submitted and no correction is under way)."""
    questions = list(feedback_request.cycle.questions.all()) if feedback_request.cycle else []
    if not rules.can_answer(request.user, feedback_request, has_draft=draft is not None):
        return None
    return FeedbackForm(
        request.POST or None,
        feedback_request=feedback_request,
        questions=questions,
        version=draft.version if draft else 1,
        initial=initial_from(draft),
    )


def _save_answers(request, feedback_request, form) -> bool:
    """Save the answers as a draft, or submit them: True when done, else the error is on the form."""
    submitting = request.POST.get("action") == "submit"
    action = services.submit_feedback if submitting else services.save_feedback_draft
    try:
        action(feedback_request=feedback_request, by=request.user, answers=form.answers())
    except ValidationError as error:
        form.add_error(None, error)
        if submitting:
            messages.warning(request, _("Your draft is saved, but not submitted yet."))
        return False
    if submitting:
        messages.success(
            request,
            _("Thank you: your feedback is submitted. It cannot be changed now, only corrected."),
        )
    else:
        messages.success(request, _("Draft saved. Only you can see it."))
    return True


def _sides(user, feedback_request, draft, *, form_shown: bool) -> list:
    """The request's answers and its counterpart's, as `user` may read them, each knowing whether
    the user may correct it. The page is about the pair: the viewer's own side first when they
    are the partner. While the author's form shows, their side with nothing submitted is left
    out: it was an empty second heading under the form's own."""
    own, other = selectors.request_sides(feedback_request, user)
    if feedback_request.subject_id == user.pk and other is not None:
        own, other = other, own
    sides = [s for s in (own, other) if s is not None]
    if form_shown:
        sides = [s for s in sides if s.latest or s.feedback_request.author_id != user.pk]
    for side in sides:
        side.correctable = rules.can_correct(
            user, side.feedback_request, has_draft=draft is not None
        )
    return sides


def request_detail(request, pk):
    feedback_request = _feedback_request_or_404(request.user, pk)
    is_author = rules.is_author(request.user, feedback_request)
    if request.method == "POST":
        require(is_author)
    draft = selectors.draft_of(feedback_request) if is_author else None
    form = _answer_form(request, feedback_request, draft)
    if form is None and request.method == "POST":
        messages.error(
            request,
            _(
                "You already submitted this feedback; it cannot be edited. "
                "Start a correction to give a new version (the submitted one is kept)."
            ),
        )
        return redirect(feedback_request)
    posted = form is not None and request.method == "POST" and form.is_valid()
    if posted and _save_answers(request, feedback_request, form):
        return redirect(feedback_request)
    return render(
        request,
        "feedback/request_detail.html",
        {
            "feedback_request": feedback_request,
            "form": form,
            "draft": draft,
            "is_author": is_author,
            "is_admin": rules.oversees(request.user, feedback_request.dyad.program),
            "sides": _sides(request.user, feedback_request, draft, form_shown=form is not None),
            "accepting": rules.is_accepting(feedback_request),
        },
    )


@require_POST
def correct(request, pk):
    feedback_request = get_visible_or_404(FeedbackRequest, request.user, pk=pk)
    require(rules.is_author(request.user, feedback_request))
    try:
        draft = services.start_correction(feedback_request=feedback_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(
            request,
            _("Version %(version)d is a draft: change what needs correcting, then submit it.")
            % {"version": draft.version},
        )
    return redirect(feedback_request)


def program_feedback(request, slug):
    program = program_for_admin(request.user, slug=slug)
    return render(
        request,
        "feedback/program_feedback.html",
        {
            "program": program,
            "cycles": selectors.program_cycles(program),
            "attention_count": selectors.attention_list(program).count(),
        },
    )


def open_cycle(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form = CycleForm(request.POST or None)
    if form.is_valid():
        try:
            cycle = services.open_cycle(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The cycle is open: both sides of every active dyad are asked for feedback."),
            )
            return redirect(cycle)
    return render(request, "feedback/cycle_form.html", {"program": program, "form": form})


def cycle_detail(request, pk):
    cycle = get_visible_or_404(FeedbackCycle.objects.select_related("program"), request.user, pk=pk)
    require(rules.oversees(request.user, cycle.program))
    page = Paginator(selectors.cycle_dyads(cycle), PER_PAGE).get_page(request.GET.get("page"))
    totals = selectors.cycle_totals(cycle)
    return render(
        request,
        "feedback/cycle_detail.html",
        {
            "cycle": cycle,
            "program": cycle.program,
            "page": page,
            "rows": selectors.cycle_progress(cycle, list(page)),
            "submitted": totals["submitted"],
            "total": totals["total"],
            "questions": list(cycle.questions.all()),
            "question_form": QuestionForm(),
            "closed": cycle.is_closed(),
        },
    )


@require_POST
def add_question(request, pk):
    cycle = get_visible_or_404(FeedbackCycle.objects.select_related("program"), request.user, pk=pk)
    require(rules.oversees(request.user, cycle.program))
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_cycle_question(cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Question added: both sides of every dyad are asked it."))
    else:
        messages.error(request, _("Write the question and choose the kind of answer."))
    return redirect(cycle)


@require_POST
def remind(request, pk):
    feedback_request = get_visible_or_404(
        FeedbackRequest.objects.select_related("dyad__program", "cycle", "author"),
        request.user,
        pk=pk,
    )
    require(rules.oversees(request.user, feedback_request.dyad.program))
    try:
        services.send_feedback_reminder(feedback_request=feedback_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A reminder is on its way to %(name)s.") % {"name": feedback_request.author}
        )
    if feedback_request.cycle is not None:
        return redirect(feedback_request.cycle)
    return redirect("feedback:attention", feedback_request.dyad.program.slug)


def attention(request, slug):
    program = program_for_admin(request.user, slug=slug)
    items = Paginator(selectors.attention_list(program), PER_PAGE).get_page(request.GET.get("page"))
    # Counted by the one rule of the program page and the admins' digest; names for this page only.
    overdue = Paginator(overdue_dyads(program_ids=[program.pk], people=False), PER_PAGE).get_page(
        request.GET.get("overdue")
    )
    # Counted by the one rule of the overview's "… out of touch" and the digest (feedback/touch.py).
    out_of_touch = Paginator(
        out_of_touch_dyads([program.pk], now=timezone.now()).only(
            "program_id", "mentor_id", "mentee_id", "started_on", "created_at"
        ),
        PER_PAGE,
    ).get_page(request.GET.get("untouched"))
    return render(
        request,
        "feedback/attention_list.html",
        {
            "program": program,
            "out_of_touch": out_of_touch,
            "out_of_touch_rows": selectors.out_of_touch_rows(list(out_of_touch.object_list)),
            "out_of_touch_query": query_without(request, "untouched"),
            "items": items,
            "item_rows": selectors.attention_rows(items.object_list),
            "items_query": query_without(request, "page"),
            "resolved": selectors.attention_rows(
                selectors.attention_list(program, resolved=True)[:20]
            ),
            "overdue": overdue,
            "overdue_rows": selectors.overdue_rows(list(overdue.object_list)),
            "overdue_query": query_without(request, "overdue"),
            "unanswered_requests": list(
                selectors.long_unanswered_requests(program, now=timezone.now())
            ),
            "unanswered_days": selectors.REQUEST_UNANSWERED_DAYS,
        },
    )


def _attention_item(request, pk) -> AttentionItem:
    item = get_visible_or_404(
        AttentionItem.objects.select_related(
            "dyad__program", "dyad__mentor", "dyad__mentee", "response__request", "resolved_by"
        ),
        request.user,
        pk=pk,
    )
    require(rules.oversees(request.user, item.dyad.program))
    return item


def attention_item(request, pk):
    item = _attention_item(request, pk)
    resolve_form = ResolveForm(request.POST or None)
    if request.method == "POST" and resolve_form.is_valid():
        try:
            services.resolve_attention_item(
                item=item, by=request.user, note=resolve_form.cleaned_data["note"]
            )
        except ValidationError as error:
            resolve_form.add_error(None, error)
        else:
            messages.success(request, _("Resolved: the dyad is off the attention list."))
            return redirect("feedback:attention", item.dyad.program.slug)
    return _render_item(request, item, resolve_form=resolve_form)


def _render_item(request, item, *, resolve_form=None, cadence_form=None):
    return render(
        request,
        "feedback/attention_item.html",
        {
            "item": item,
            "program": item.dyad.program,
            "resolve_form": resolve_form or ResolveForm(),
            "cadence_form": cadence_form
            or CadenceForm(initial={"cadence_days": item.dyad.cadence_days}, auto_id="cadence_%s"),
        },
    )


@require_POST
def adjust_cadence(request, pk):
    item = _attention_item(request, pk)
    form = CadenceForm(request.POST, auto_id="cadence_%s")  # ids apart from the resolve form's
    if form.is_valid():
        try:
            services.adjust_cadence_for_attention(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cadence changed; the dyad is off the attention list."))
            return redirect("feedback:attention", item.dyad.program.slug)
    return _render_item(request, item, cadence_form=form)


def mentor_summary(request, slug):
    program = program_for_admin(request.user, slug=slug)
    page = Paginator(selectors.summary_mentors(program), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/mentor_summary.html",
        {
            "program": program,
            "page": page,
            "summaries": selectors.mentor_summaries(program, list(page)),
            "threshold": AGGREGATE_THRESHOLD,
        },
    )
