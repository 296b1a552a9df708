"""The sweep's hand-out (deliverable_ids) and the worker's claim are SQL statements of their own;
they select exactly the notices NotificationQuerySet.claimable does, in every state a notice can
be in: sent, failed, claimed (live or expired), a retry due or still ahead, handed to the broker
(lately or longer than a lease ago), of one kind or another."""

import itertools
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from mentoring.models import Notification
from mentoring.notifications import Occasion, claim, deliverable_ids, lease, plan
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def _every_state(now):
    person = make_user()
    moments = {
        "none": None,
        "lately": now - timedelta(seconds=5),
        "long ago": now - lease() - timedelta(seconds=5),
        "ahead": now + timedelta(minutes=5),
    }
    states = list(
        itertools.product(
            ["pending", "sent", "failed"],
            ["none", "lately", "long ago"],  # claimed_at
            ["none", "long ago", "ahead"],  # retry_at
            ["none", "lately", "long ago"],  # enqueued_at
            ["meeting_soon", "paired"],
        )
    )
    for n, (done, claimed, retry, enqueued, kind) in enumerate(states):
        (pk,) = plan(kind=kind, due=[Occasion(recipient=person, title="t", occasion=str(n))])
        Notification.objects.filter(pk=pk).update(
            sent_at=now if done == "sent" else None,
            failed_at=now if done == "failed" else None,
            claimed_at=moments[claimed],
            retry_at=moments[retry],
            enqueued_at=moments[enqueued],
            created_at=now - timedelta(minutes=n % 7),
        )
    return len(states)


def _orm(now, *, kind=None):
    queryset = Notification.objects.claimable(now=now, lease=lease()).filter(
        Q(enqueued_at=None) | Q(enqueued_at__lt=now - lease())
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return list(queryset.order_by("created_at", "id").values_list("id", flat=True))


def test_the_hand_out_is_the_querysets_rule_in_its_order():
    now = timezone.now()
    assert _every_state(now) == 162
    for kind in (None, "meeting_soon", "paired", "digest"):
        expected = _orm(now, kind=kind)
        assert deliverable_ids(kind=kind, now=now) == expected
    assert len(_orm(now)) == 16  # pending, unclaimed or expired, no retry ahead, not queued lately


@pytest.mark.parametrize("retrying", [False, True])
def test_a_claim_takes_what_the_queryset_calls_claimable(retrying):
    now = timezone.now()
    _every_state(now)
    everything = list(Notification.objects.values_list("id", flat=True))
    claimable = Notification.objects.pending().filter(
        Q(claimed_at=None) | Q(claimed_at__lt=now - lease())
    )
    if not retrying:
        claimable = claimable.filter(Q(retry_at=None) | Q(retry_at__lte=now))
    expected = sorted(claimable.values_list("id", flat=True))
    assert expected
    assert claim(everything, now=now, retrying=retrying) == expected
    assert claim(everything, now=now, retrying=retrying) == []  # claimed now: nobody takes them
