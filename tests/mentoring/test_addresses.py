"""`{% address %}` prints what `{% url %}` prints, reversed once per process, under the
deployment's mount point too."""

from django.template import Context, Template
from django.urls import set_script_prefix

PAIR = (
    "{% load addresses %}{% address 'meetings:action_done' 7 %} {% url 'meetings:action_done' 7 %}"
)


def test_an_address_is_the_url_of_the_same_name():
    ours, django = Template(PAIR).render(Context()).split()
    assert ours == django == "/meetings/actions/7/done/"


def test_an_address_follows_the_mount_point():
    set_script_prefix("/mentoring/")
    try:
        ours, django = Template(PAIR).render(Context()).split()
    finally:
        set_script_prefix("/")
    assert ours == django == "/mentoring/meetings/actions/7/done/"
