"""Rolling restarts: a web node told to stop (SIGTERM, as a rolling deploy or `docker compose
stop` does) first drains, answering 503 on /healthz so the balancer sends it no more, and finishes
the request it is in the middle of; then it exits. The production command (Dockerfile's gunicorn
with deploy/gunicorn.conf.py), a real client socket."""

import os
import re
import signal
import socket
import time

from tests.deploy.processes import HOST, get, gunicorn


def test_a_stopping_node_drains_and_finishes_the_request_it_holds(tmp_path):
    body = b"login=someone%40example.org&password=not-it&csrfmiddlewaretoken=" + b"y" * 64
    with gunicorn(tmp_path, DRAIN_SECONDS="2") as port:
        # A form being sent: headers and half the body are in, the rest still to come.
        client = socket.create_connection(("127.0.0.1", port), timeout=30)
        client.sendall(
            (
                f"POST /accounts/login/ HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                # A CSRF cookie: the check reads the posted token, so the body, before answering.
                f"Cookie: __Host-csrftoken={'x' * 32}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body[:10]
        )
        time.sleep(0.5)  # gunicorn has handed it to a thread, which waits for the body
        log = (tmp_path / "gunicorn.log").read_text()
        assert "POST /accounts/login/" not in log  # not answered yet: it waits for the body
        arbiter = int(re.search(r"Listening at: \S+ \((\d+)\)", log)[1])
        os.kill(arbiter, signal.SIGTERM)
        deadline = time.monotonic() + 30  # generous: a busy machine is slow, not wrong
        while not (tmp_path / "draining").exists():
            assert time.monotonic() < deadline, "gunicorn did not start draining"
            time.sleep(0.05)
        assert get(port, "/healthz", timeout=5) == 503  # the balancer stops sending here
        time.sleep(2.5)  # the drain is over: gunicorn is stopping, the request still open
        client.sendall(body[10:])
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
        client.close()
        # Answered whole (the CSRF refusal of a form posted without its cookie), not cut off.
        assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
        assert answer.rstrip().endswith(b"</html>")
        log = (tmp_path / "gunicorn.log").read_text()
        assert "SIGTERM: draining" in log
    assert not (tmp_path / "draining").exists()  # gone with the node: the next start is healthy
