"""The app as more than one machine, on loopback: an S3-compatible server (moto's, speaking the S3
HTTP API as AWS S3, MinIO or Ceph do), one PostgreSQL (the test's database), one Redis of its own,
two gunicorn web nodes with separate VAR_DIRs behind nginx (deploy/nginx.conf, a round-robin
upstream of both), two Celery workers and two beats with separate VAR_DIRs. Nothing is shared but
the services: a node's disk is its own.

It shows, as a person and an operator would notice:
- a mentee signs in once and stays signed in on whichever node answers;
- a material uploaded through node 1 downloads through node 2, byte for byte (with STORAGES on
  the filesystem this fails: node 2 has no such file);
- the data export, built by a worker, downloads through either node;
- the due reminders go out exactly once although a worker is SIGKILLed mid-chunk (each message
  is recorded as it is sent: the chunk's earlier messages are not sent again), and a second beat
  stands by while the first holds the lock;
- a web node stopped mid-traffic (SIGTERM) answers 503 on /healthz while it drains, and no form
  posted meanwhile is lost: every post is answered and saved.
"""

import io
import os
import signal
import time
import zipfile
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import Message
from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.builders import PASSWORD
from tests.deploy.processes import NGINX, get
from tests.deploy.stack import (
    Celery,
    Visitor,
    WebNode,
    app_env,
    collect_static,
    nginx,
    redis_server,
)
from tests.meetings.builders import PDF
from tests.object_store import new_bucket, s3_server, use_keys
from tests.reminders.conftest import schedule_meeting
from tests.reminders.worker import database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(NGINX is None, reason="apt-get install nginx"),
]

VICTIM_INDEX = 2  # the worker dies about to send the 3rd reminder of its chunk


def wait_for(condition, *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _reminders():
    return Notification.objects.filter(kind="meeting_soon")


def _planned_reminders(world) -> list[Notification]:
    """Six meetings within the hour: twelve "meeting soon" reminders, planned and left for the
    stack's beat and workers to send (no hand-out here)."""
    start = timezone.now() + timedelta(minutes=30)
    for n in range(3):
        schedule_meeting(world.dyad, start + timedelta(minutes=n))
        schedule_meeting(world.other_dyad, start + timedelta(minutes=n))
    sweep("meeting_soon", send=lambda ids: len(list(ids)))
    reminders = list(_reminders().order_by("id"))
    assert len(reminders) == 12 and not any(r.sent_at for r in reminders)
    return reminders


def _sent_keys(workers) -> Counter:
    import email

    keys = Counter()
    for worker in workers:
        for path in worker.mails():
            header = email.message_from_bytes(path.read_bytes())["X-Mentoring-Notice"]
            keys["".join(str(header).split())] += 1  # unfolded: a long key spans two lines
    return keys


def _production_password(user) -> None:
    """The test settings hash with MD5 for speed; the nodes run production's hashers."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.crypto import get_random_string

    user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(12), iterations=1000)
    user.save(update_fields=["password"])


def test_two_web_nodes_two_workers_two_beats_share_nothing_but_the_services(world, tmp_path):
    use_keys()
    _production_password(world.mentee)
    reminders = _planned_reminders(world)
    victim = reminders[VICTIM_INDEX]
    meeting = world.dyad.meetings.order_by("starts_at").first()
    conversation_url = f"/conversations/{world.dyad.pk}/"

    with ExitStack() as stack:
        bucket = new_bucket(stack.enter_context(s3_server()))
        redis_url = stack.enter_context(redis_server(tmp_path))
        env = app_env(
            tmp_path,
            database_url=database_url(),
            redis_url=redis_url,
            storage=bucket.environment,
        )
        collect_static(env, tmp_path / "image")
        nodes = [
            WebNode(f"node{i}", tmp_path / f"node{i}", env, tmp_path / "image") for i in (1, 2)
        ]
        for node in nodes:
            stack.enter_context(node.running())
        proxy = stack.enter_context(nginx(tmp_path / "nginx", upstreams=[n.port for n in nodes]))
        node1, node2 = nodes

        # Workers that stop just before mailing the victim, and a beat holding the lock.
        workers = []
        for i in (1, 2):
            pause = tmp_path / f"pause{i}"
            pause.mkdir()
            (pause / f"hold-{victim.pk}").touch()
            worker = Celery(
                "worker",
                tmp_path / f"worker{i}",
                env,
                {"NOTIFICATION_TEST_PAUSE": f"before_send:{pause}"},
            )
            stack.callback(worker.stop)
            workers.append(worker)
        beat1 = Celery("beat", tmp_path / "beat1", env)
        stack.callback(beat1.stop)

        # --- signed in once, on either node --------------------------------------------------
        mentee = Visitor()
        mentee.sign_in(proxy, world.mentee.email, PASSWORD)
        before = [node.served("/") for node in nodes]
        for _ in range(8):
            status, _response, content = mentee.get(proxy, "/")
            assert status == 200 and b"/accounts/logout/" in content, status  # signed in
        assert all(node.served("/") > count for node, count in zip(nodes, before, strict=True))

        # --- uploaded through node 1, downloaded through node 2 ------------------------------
        mentee.get(node1.port, f"/meetings/{meeting.pk}/materials/add/")
        status, _r, content = mentee.post_file(
            node1.port,
            f"/meetings/{meeting.pk}/materials/add/",
            {"title": "Aims"},
            "upload",
            "aims.pdf",
            PDF,
            "application/pdf",
        )
        assert status == 302, content[:1000]
        material = meeting.materials.get()
        status, response, content = mentee.get(
            node2.port, f"/meetings/materials/{material.pk}/download/"
        )
        assert status == 200 and content == PDF, f"node 2 answers {status} for node 1's upload"
        assert response.getheader("Content-Disposition") == 'attachment; filename="aims.pdf"'
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert bucket.read(material.file.name) == PDF  # in the bucket, not on node 1's disk

        # --- the data export: a worker builds it, either node hands it out -------------------
        mentee.get(proxy, "/profile/data/")
        status, _r, _c = mentee.post(proxy, "/profile/data/export/", {})
        assert status == 302
        wait_for(
            lambda: b"is ready" in mentee.get(proxy, "/profile/data/")[2],
            what="a worker to build the export",
        )
        exports = []
        for node in nodes:
            status, response, content = mentee.get(node.port, "/profile/data.zip")
            assert status == 200 and response.getheader("Content-Type") == "application/zip"
            exports.append(content)
        assert exports[0] == exports[1]
        with zipfile.ZipFile(io.BytesIO(exports[0])) as archive:
            assert any(name.startswith("files/") for name in archive.namelist())

        # --- reminders: a worker killed mid-chunk, each sent exactly once --------------------
        wait_for(
            lambda: any(
                (tmp_path / f"pause{i}" / f"before_send-{victim.pk}").exists() for i in (1, 2)
            ),
            what="a worker to reach the victim",
        )
        dying = next(
            w
            for i, w in enumerate(workers, 1)
            if (tmp_path / f"pause{i}" / f"before_send-{victim.pk}").exists()
        )
        dying.kill()
        for i in (1, 2):
            (tmp_path / f"pause{i}" / f"hold-{victim.pk}").unlink()
        # What it sent before dying is recorded: only the victim and the rest of its chunk wait.
        assert set(_reminders().filter(sent_at=None)) >= {victim}
        assert (
            not _reminders()
            .filter(pk__in=[r.pk for r in reminders[:VICTIM_INDEX]], sent_at=None)
            .exists()
        )
        time.sleep(3.5)  # the dead worker's claims outlive their lease (NOTIFICATION_LEASE_SECONDS)
        # A second beat starts: it stands by (the first holds the lock), and its start-up sweep
        # hands out again what the dead worker held.
        beat2 = Celery("beat", tmp_path / "beat2", env)
        stack.callback(beat2.stop)
        wait_for(lambda: not _reminders().filter(sent_at=None).exists(), what="every reminder")
        wait_for(lambda: "another beat is running" in beat2.text(), what="the standby beat")
        sent = _sent_keys(workers)
        keys = {r.dedupe_key for r in reminders}
        assert {k: sent[k] for k in keys} == dict.fromkeys(keys, 1)

        # --- a web node stops mid-traffic: nothing posted is lost -----------------------------
        mentee.get(proxy, conversation_url)
        answers = []
        for n in range(16):
            if n == 4:
                # As `docker stop` does: SIGTERM to the main process (gunicorn's arbiter) only.
                os.kill(node1.process.pid, signal.SIGTERM)
                wait_for(lambda: (node1.var_dir / "draining").exists(), what="node 1 to drain")
                assert get(node1.port, "/healthz", timeout=5) == 503  # the balancer's cue
            status, _r, content = mentee.post(proxy, conversation_url, {"body": f"note {n}"})
            answers.append(status)
            mentee.get(proxy, conversation_url)  # a fresh token, as the page gives
        node1.process.wait(timeout=40)
        assert answers == [302] * 16, answers
        bodies = set(
            Message.objects.filter(conversation__dyad=world.dyad).values_list("body", flat=True)
        )
        assert {f"note {n}" for n in range(16)} <= bodies
        assert mentee.get(proxy, "/")[0] == 200  # still signed in, on the node left
