"""The meeting page writes its agenda and action-item forms itself (mentoring.form_markup, issue 21):
the same elements, attributes and texts as crispy's bootstrap5 pack gives the same form, whether
fresh or refused with what the person typed."""

from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django.template.loader import render_to_string
from django.urls import reverse

from goals.models import Goal, ProgressReport
from meetings.forms import ActionItemForm, AgendaItemForm
from mentoring.form_markup import fields_for
from tests.goals.builders import make_goal
from tests.meetings.builders import schedule


class _Elements(HTMLParser):
    """Start tags with their attributes (classes as a set), end tags and texts; no whitespace."""

    def __init__(self):
        super().__init__()
        self.out = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "class" in attrs:
            attrs["class"] = " ".join(sorted(attrs["class"].split()))
        self.out.append(("<", tag, tuple(sorted(attrs.items()))))

    def handle_endtag(self, tag):
        self.out.append(("/", tag))

    def handle_data(self, data):
        if text := " ".join(data.split()):
            self.out.append(("text", text))


def _elements(html: str) -> list:
    parser = _Elements()
    parser.feed(html)
    return parser.out


def _as_crispy_draws_it(form) -> list:
    helper = FormHelper()
    helper.form_tag = False
    return _elements(render_crispy_form(form, helper))


def _as_the_page_draws_it(form) -> list:
    return _elements(
        render_to_string("_form_fields.html", {"form": form, "fields": fields_for(form)})
    )


def _forms(world):
    goal = make_goal(world.program, world.mentee, title="Submit <a K23> & more")
    report = ProgressReport.objects.create(
        program=world.program, mentee=world.mentee, accomplishments="Aims <b>drafted</b>"
    )
    goals = Goal.objects.filter(pk=goal.pk)
    reports = ProgressReport.objects.filter(pk=report.pk)

    def agenda(data=None):
        return AgendaItemForm(data, goals=goals, reports=reports, prefix="agenda")

    def action(data=None):
        return ActionItemForm(data, dyad=world.dyad, prefix="action")

    return [
        agenda(),
        agenda(
            {
                "agenda-topic": "",
                "agenda-help_needed": "bogus",
                "agenda-details": '"Keep" <this> & text',
                "agenda-goal": str(goal.pk),
                "agenda-progress_report": "999999",
            }
        ),
        agenda({"agenda-topic": "x" * 201, "agenda-help_needed": "review"}),
        action(),
        action({"action-description": "", "action-owner": "", "action-due_on": "2025-13-45"}),
        action({"action-description": "<i>Call</i>", "action-owner": str(world.mentee.pk)}),
    ]


@pytest.mark.django_db
def test_the_meeting_forms_are_drawn_as_crispy_draws_them(world):
    for form in _forms(world):
        assert _as_the_page_draws_it(form) == _as_crispy_draws_it(form), form.data


@pytest.mark.django_db
def test_a_refused_agenda_item_keeps_what_was_typed_next_to_its_error(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    page = client.post(
        url,
        {"agenda-topic": "", "agenda-help_needed": "review", "agenda-details": "<b>Mine</b>"},
    ).content.decode()
    assert f'<form action="{url}" id="agenda-form" method="post"' in page
    assert '<a href="#id_agenda-topic">Topic: This field is required.</a>' in page
    assert (
        'aria-invalid="true" aria-describedby="id_agenda-topic_error" id="id_agenda-topic"' in page
    )
    assert '<option value="review" selected>Review of a document</option>' in page
    assert "&lt;b&gt;Mine&lt;/b&gt;</textarea>" in page
    assert 'id="agenda-submit"' in page


def test_a_widget_the_page_does_not_draw_is_refused():
    from django import forms

    class Form(forms.Form):
        agree = forms.BooleanField()

    with pytest.raises(TypeError, match="CheckboxInput"):
        fields_for(Form())
