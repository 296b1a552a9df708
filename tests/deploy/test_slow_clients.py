"""Slow clients cannot take the site down: the issue-12 fault, three clients that each send one
header line a second, against the real production web command (and nginx in front of it).

With the 3 sync workers the image used to run, the three clients held every worker and /healthz
stopped answering until gunicorn's 30 s timeout.
"""

import socket
import threading
import time
from contextlib import ExitStack, contextmanager

import pytest

from tests.deploy.processes import HOST, NGINX, get, gunicorn, nginx, production_env
from tests.deploy.test_compose import run_web_healthcheck

SLOW_CLIENTS = 3
# A slow client keeps sending for this long: past gunicorn's 30 s timeout and every answer's deadline.
DRIBBLE_LINES = 90
# Generous: a busy CI machine answers in well under it, a held worker not before the clients end.
ANSWER_DEADLINE = 20


class SlowClients:
    """`count` clients that open a request and then send one header line a second, never ending
    it, for up to DRIBBLE_LINES seconds. `holding()`: every one of them is still connected and
    sending (the server has neither answered nor cut them off)."""

    def __init__(self, port: int, count: int):
        self.stop = threading.Event()
        self.sockets = [
            socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)
        ]
        self.cut_off = [False] * count
        self.threads = [
            threading.Thread(target=self._dribble, args=(i,), daemon=True) for i in range(count)
        ]

    def _dribble(self, i: int) -> None:
        sock = self.sockets[i]
        try:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            for line in range(DRIBBLE_LINES):  # bounded, and the test stops it first
                if self.stop.wait(1):
                    return
                sock.sendall(f"X-Slow-{line}: still sending\r\n".encode())
        except OSError:
            self.cut_off[i] = True  # closed by the server: what a deadline does

    def holding(self) -> bool:
        return all(t.is_alive() for t in self.threads) and not any(self.cut_off)


@contextmanager
def slow_clients(port: int, count: int = SLOW_CLIENTS):
    clients = SlowClients(port, count)
    for thread in clients.threads:
        thread.start()
    try:
        time.sleep(2.5)  # every client has been handed on and is holding whatever it can
        assert clients.holding(), "a slow client was cut off before the test began"
        yield clients
    finally:
        clients.stop.set()
        for sock in clients.sockets:
            sock.close()
        for thread in clients.threads:
            thread.join(timeout=5)


def assert_healthz_answers_while_they_hang(port: int, clients: SlowClients) -> None:
    """/healthz answers 200, three times, each while every slow client still holds its connection:
    what happened, in that order. The deadline only bounds a hang (a worker held until gunicorn's
    30 s timeout answers after the clients are gone, or not at all); it is not a speed figure."""
    for _ in range(3):
        try:
            status = get(port, "/healthz", timeout=ANSWER_DEADLINE)
        except TimeoutError:
            pytest.fail(
                f"/healthz gave no answer within {ANSWER_DEADLINE} s while "
                f"{len(clients.sockets)} slow clients hang"
            )
        assert status == 200
        assert clients.holding(), "/healthz answered only once the slow clients were gone"
        time.sleep(0.3)


def test_slow_clients_do_not_stop_gunicorn_answering(tmp_path):
    with gunicorn(tmp_path) as port, slow_clients(port) as clients:
        assert_healthz_answers_while_they_hang(port, clients)
        # docker-compose's own healthcheck for web passes meanwhile (with a Host Django accepts).
        result = run_web_healthcheck(port, production_env(tmp_path))
        assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")
def test_slow_clients_do_not_stop_the_site_answering_through_nginx(tmp_path):
    with ExitStack() as stack:
        upstream = stack.enter_context(gunicorn(tmp_path))
        port = stack.enter_context(nginx(tmp_path, upstream=upstream))
        clients = stack.enter_context(slow_clients(port, count=3 * SLOW_CLIENTS))
        assert_healthz_answers_while_they_hang(port, clients)
