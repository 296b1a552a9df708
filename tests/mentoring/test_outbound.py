"""The guarded request helper (mentoring/outbound.py) against real HTTP servers on loopback."""

import http.server
import threading
import time

import pytest
from django.test import override_settings

from mentoring import outbound


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):
        pass

    def _answer(self):
        route = self.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        answered = route(self)
        if answered is None:  # the route wrote its own answer
            return
        status, headers, body = answered
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


def _huge_streamed(handler):
    # No Content-Length: the helper must stop reading by itself.
    handler.send_response(200)
    handler.end_headers()
    for _ in range(64):
        handler.wfile.write(b"x" * 65536)
    return None


@pytest.fixture
def server():
    seen = []

    def ok(h):
        seen.append((h.command, h.headers, h.rfile.read(int(h.headers.get("Content-Length") or 0))))
        if h.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "text/calendar"}, b"BEGIN:VCALENDAR"

    def slow(h):
        time.sleep(5)
        return 200, {}, b"late"

    routes = {
        "/ok": ok,
        "/big": lambda h: (200, {}, b"y" * 2048),
        "/to-ok": lambda h: (302, {"Location": "/ok"}, b""),
        "/to-private": lambda h: (302, {"Location": "http://10.1.2.3/secret"}, b""),
        "/to-metadata": lambda h: (301, {"Location": "http://169.254.169.254/latest/"}, b""),
        "/loop": lambda h: (302, {"Location": "/loop"}, b""),
        "/slow": slow,
        "/error": lambda h: (500, {}, b"boom"),
    }
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.seen = seen
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.by_name = f"http://localhost:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_fetches_a_page_and_passes_conditional_headers(server):
    got = outbound.request("GET", f"{server.by_name}/ok")
    assert (got.status, got.body, got.headers["etag"]) == (200, b"BEGIN:VCALENDAR", '"v1"')
    again = outbound.request("GET", f"{server.url}/ok", headers={"If-None-Match": '"v1"'})
    assert again.status == 304 and again.body == b""
    assert server.seen[0][1]["Host"] == f"localhost:{server.server_address[1]}"


def test_posts_a_body_with_its_headers(server):
    got = outbound.request(
        "POST",
        f"{server.url}/ok",
        body=b'{"a":1}',
        headers={"Content-Type": "application/json", "webhook-id": "msg_1"},
    )
    assert got.status == 200
    method, headers, body = server.seen[-1]
    assert (method, body, headers["webhook-id"]) == ("POST", b'{"a":1}', "msg_1")


def test_a_server_error_is_an_answer_not_an_exception(server):
    assert outbound.request("GET", f"{server.url}/error").status == 500


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://127.0.0.1/",
        "javascript:alert(1)",
        "http://",
        "http://user:pw@example.org/",
        "http://[::1",
        "not a url",
    ],
)
def test_only_plain_http_and_https_addresses(url):
    with pytest.raises(outbound.Refused):
        outbound.request("GET", url)


@pytest.mark.parametrize(
    "host",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "[fe80::1]",
        "[fc00::1]",
        "[::ffff:10.0.0.1]",
        "224.0.0.1",
    ],
)
def test_private_and_link_local_addresses_are_refused_even_when_loopback_is_allowed(host):
    with pytest.raises(outbound.Refused, match="private network"):
        outbound.request("GET", f"http://{host}/")


def test_loopback_is_refused_unless_the_setting_allows_it(server):
    with override_settings(OUTBOUND_ALLOW_LOOPBACK=False):
        for url in (
            f"{server.url}/ok",
            f"{server.by_name}/ok",
            "http://[::1]/",
            "http://127.1.2.3/",
        ):
            with pytest.raises(outbound.Refused):
                outbound.request("GET", url)
    assert server.seen == []


def test_every_redirect_hop_is_checked(server):
    assert (
        outbound.request("GET", f"{server.url}/to-ok", max_redirects=3).body == b"BEGIN:VCALENDAR"
    )
    for path in ("/to-private", "/to-metadata"):
        with pytest.raises(outbound.Refused, match="private network"):
            outbound.request("GET", f"{server.url}{path}", max_redirects=3)
    with pytest.raises(outbound.Refused, match="redirected too many times"):
        outbound.request("GET", f"{server.url}/loop", max_redirects=3)


def test_redirects_are_not_followed_unless_asked(server):
    got = outbound.request("POST", f"{server.url}/to-private", body=b"{}")
    assert got.status == 302 and got.headers["location"] == "http://10.1.2.3/secret"


def test_a_body_over_the_cap_is_refused_declared_or_streamed(server):
    assert len(outbound.request("GET", f"{server.url}/big", max_bytes=4096).body) == 2048
    with pytest.raises(outbound.Refused, match="larger than"):
        outbound.request("GET", f"{server.url}/big", max_bytes=1024)
    server.RequestHandlerClass.routes["/stream"] = _huge_streamed
    with pytest.raises(outbound.Refused, match="larger than"):
        outbound.request("GET", f"{server.url}/stream", max_bytes=1024 * 1024)


def test_a_slow_server_times_out(server):
    # The server answers after 5 s: an answer instead of the error means the time-out did nothing.
    with pytest.raises(outbound.Unreachable, match=r"could not be reached|in time"):
        outbound.request("GET", f"{server.url}/slow", timeout=0.5)


def test_a_closed_port_or_unknown_host_is_unreachable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(outbound.Unreachable):
        outbound.request("GET", f"http://127.0.0.1:{port}/", timeout=2)
    with pytest.raises(outbound.Unreachable, match="could not be found"):
        outbound.request("GET", "http://no-such-host.invalid/", timeout=2)
