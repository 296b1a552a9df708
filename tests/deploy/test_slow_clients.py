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


@contextmanager
def slow_clients(port: int, count: int = SLOW_CLIENTS):
    """`count` clients that open a request and then send one header line a second, never ending it."""
    stop = threading.Event()
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]

    def dribble(sock: socket.socket) -> None:
        try:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            for line in range(30):  # bounded: 30 lines at most, and the test stops it first
                if stop.wait(1):
                    return
                sock.sendall(f"X-Slow-{line}: still sending\r\n".encode())
        except OSError:
            return  # closed by the server: what a deadline does

    threads = [threading.Thread(target=dribble, args=(sock,), daemon=True) for sock in sockets]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2.5)  # every client has been handed on and is holding whatever it can
        yield
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
        for thread in threads:
            thread.join(timeout=5)


def assert_healthz_answers_within_a_second(port: int) -> None:
    for _ in range(3):
        started = time.monotonic()
        try:
            status = get(port, "/healthz", timeout=1)
        except TimeoutError:
            pytest.fail(
                f"/healthz gave no answer within 1 s while {SLOW_CLIENTS} slow clients hang"
            )
        assert status == 200
        assert time.monotonic() - started < 1
        time.sleep(0.3)


def test_slow_clients_do_not_stop_gunicorn_answering(tmp_path):
    with gunicorn(tmp_path) as port, slow_clients(port):
        assert_healthz_answers_within_a_second(port)
        # docker-compose's own healthcheck for web passes meanwhile (with a Host Django accepts).
        result = run_web_healthcheck(port, production_env(tmp_path))
        assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")
def test_slow_clients_do_not_stop_the_site_answering_through_nginx(tmp_path):
    with ExitStack() as stack:
        upstream = stack.enter_context(gunicorn(tmp_path))
        port = stack.enter_context(nginx(tmp_path, upstream=upstream))
        stack.enter_context(slow_clients(port, count=3 * SLOW_CLIENTS))
        assert_healthz_answers_within_a_second(port)
