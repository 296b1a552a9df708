"""Views of the conversations app: fetch scoped (the dyad's two people only; anyone else, the
program's admins included, gets 404), form, service, redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from conversations import rules, selectors, services
from conversations.forms import EditMessageForm, MessageForm, ShareForm
from conversations.models import Conversation, Message, SharedMessage
from meetings.files import download
from mentoring.access import get_visible_or_404, require
from mentoring.addresses import address
from mentoring.converters import parse_id
from programs.models import Dyad
from programs.viewer import own_dyad_ids


def _conversation(request, dyad_pk: int) -> Conversation:
    """The dyad's conversation for one of its two people, made the first time they open it."""
    try:
        return get_visible_or_404(selectors.for_page(), request.user, dyad_id=dyad_pk)
    except Http404:
        if dyad_pk not in own_dyad_ids(request.user):  # the two people only, no admin
            raise
    services.open_conversation(get_visible_or_404(Dyad, request.user, pk=dyad_pk))
    return get_visible_or_404(selectors.for_page(), request.user, dyad_id=dyad_pk)


def _before(request) -> int | None:
    return parse_id(request.GET.get("before"))


def _page_context(request, conversation: Conversation, form=None) -> dict:
    page = selectors.thread_page(conversation, request.user, before=_before(request))
    if page.is_newest and services.mark_read(
        conversation=conversation, by=request.user, upto=page.newest_id
    ):
        selectors.forget_unread(request.user)  # the badge counts what is left
    url = address("conversations:detail", conversation.dyad_id)
    if form is None and page.can_write:
        form = MessageForm(action=url)
    return {
        "page": page,
        "form": form,
        "poll_seconds": settings.CONVERSATION_POLL_SECONDS,
    }


def index(request):
    return render(
        request,
        "conversations/index.html",
        {"conversations": selectors.conversations_of(request.user)},
    )


@never_cache
def detail(request, pk: int):
    conversation = _conversation(request, pk)
    form, status = None, 200
    if request.method == "POST":
        url = address("conversations:detail", pk)
        form = MessageForm(request.POST, request.FILES, action=url)
        if form.is_valid():
            try:
                services.send_message(
                    dyad=conversation.dyad,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data["upload"],
                    max_bytes=settings.MATERIAL_MAX_UPLOAD_BYTES,
                )
            except services.RateLimited as error:
                form.add_error(None, error)
                status = 429
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(f"{url}#compose")
        form.ask_for_the_file_again()
        context = _page_context(request, conversation, form)
        return render(request, "conversations/detail.html", context, status=status)
    return render(request, "conversations/detail.html", _page_context(request, conversation))


@never_cache
def poll(request, pk: int):
    """The newest messages, or 204 while nothing changed: one query for that answer (the
    conversation's version, through the access rule), beside loading the signed-in person."""
    conversation = get_visible_or_404(
        Conversation.objects.only("id", "version", "dyad_id"), request.user, dyad_id=pk
    )
    if request.GET.get("version", "") == str(conversation.version):
        return HttpResponse(status=204)
    conversation = get_visible_or_404(selectors.for_page(), request.user, dyad_id=pk)
    return render(request, "conversations/_thread.html", _page_context(request, conversation))


def _message(request, pk: int) -> Message:
    return get_visible_or_404(
        Message.objects.select_related("conversation__dyad"), request.user, pk=pk
    )


def edit(request, pk: int):
    message = _message(request, pk)
    dyad = message.conversation.dyad
    require(message.author_id == request.user.pk)
    back = address("conversations:detail", dyad.pk)
    if not rules.can_change(request.user, message, dyad):
        messages.error(request, rules.write_refusal(dyad) or rules.change_refusal(message))
        return redirect(back)
    form = EditMessageForm(request.POST or None, initial={"body": message.body})
    if form.is_valid():
        try:
            services.edit_message(message=message, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{back}#message-{message.pk}")
    return render(
        request,
        "conversations/message_edit.html",
        {
            "form": form,
            "message": message,
            "partner": dyad.partner_of(request.user),
            "back": back,
        },
    )


@require_POST
def delete(request, pk: int):
    message = _message(request, pk)
    back = address("conversations:detail", message.conversation.dyad_id)
    try:
        services.delete_message(message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your message is deleted."))
    return redirect(back)


def attachment(request, pk: int):
    message = _message(request, pk)
    if not message.file:
        raise Http404
    return download(
        message.file,
        filename=message.original_name or "attachment",
        content_type=message.content_type,
    )


def share(request, pk: int):
    """ "Ask the program admin about this message": the dyad's two people only (anyone else 404)."""
    message = get_visible_or_404(
        Message.objects.select_related(
            "conversation__dyad__program",
            "conversation__dyad__mentor",
            "conversation__dyad__mentee",
        ),
        request.user,
        pk=pk,
    )
    dyad = message.conversation.dyad
    back = f"{address('conversations:detail', dyad.pk)}#message-{message.pk}"
    form = ShareForm(request.POST or None)
    if form.is_valid():
        try:
            services.share_message(message=message, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Shared with the admins of %(program)s: they see this one message and your "
                    "note, not the rest of the conversation. %(partner)s is not told."
                )
                % {"program": dyad.program.name, "partner": dyad.partner_of(request.user)},
            )
            return redirect(back)
    author = dyad.mentor if message.author_id == dyad.mentor_id else dyad.mentee
    return render(
        request,
        "conversations/share.html",
        {
            "form": form,
            "message": message,
            "author": author,
            "mine": message.author_id == request.user.pk,
            "dyad": dyad,
            "partner": dyad.partner_of(request.user),
            "back": back,
        },
    )


def shared(request, pk: int):
    """The one shared message, for the program's admins (anyone else 404): never the rest."""
    item = get_visible_or_404(
        SharedMessage.objects.select_related(
            "shared_by",
            "message__conversation__dyad__program",
            "message__conversation__dyad__mentor",
            "message__conversation__dyad__mentee",
        ),
        request.user,
        pk=pk,
    )
    dyad = item.message.conversation.dyad
    author = dyad.mentor if item.message.author_id == dyad.mentor_id else dyad.mentee
    return render(
        request,
        "conversations/shared.html",
        {"shared": item, "message": item.message, "author": author, "dyad": dyad},
    )
