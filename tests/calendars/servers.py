"""Real servers on loopback for the calendar tests: a plain HTTP server serving .ics files the
tests make, and a Radicale CalDAV server in a subprocess with its own storage and no auth."""

import http.server
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CANARY = "CANARY-Secret-Surgery-7f3a"

# Europe/Berlin, with its DST change on the last Sunday of October (25 Oct 2026).
BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def ics(*events: str) -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN", BERLIN, *events, "END:VCALENDAR"]
    )
    return (body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n").encode()


def event(uid: str, summary: str, *lines: str) -> str:
    return "\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20261001T000000Z",
            f"SUMMARY:{summary}",
            *lines,
            "LOCATION:Operating room 3",
            "END:VEVENT",
        ]
    )


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, dict(self.headers)))
        route = self.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        answered = route(self)
        if answered is None:
            return
        status, headers, body = answered
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _fifty_megabytes(handler):
    """50 MB, streamed without a Content-Length (a reader must stop by itself)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/calendar")
    handler.end_headers()
    chunk = b"X" * (1024 * 1024)
    try:
        for _ in range(50):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the reader hung up once it had enough
    return None


@pytest.fixture
def ics_server():
    """`server.files[path] = bytes` serves a calendar with an ETag (304 on If-None-Match)."""
    files: dict[str, bytes] = {}

    def calendar(h):
        body = files[h.path.split("?", 1)[0]]
        tag = f'"{abs(hash(body))}"'
        if h.headers.get("If-None-Match") == tag:
            return 304, {"ETag": tag}, b""
        return 200, {"ETag": tag, "Content-Type": "text/calendar"}, body

    class Routes(dict):
        def get(self, path, default=None):
            if path in files:
                return calendar
            return super().get(path, default)

    routes = Routes(
        {
            "/fifty-mb.ics": _fifty_megabytes,
            "/fifty-mb-declared.ics": lambda h: (200, {}, b"X" * (50 * 1024 * 1024)),
            "/to-private.ics": lambda h: (302, {"Location": "http://10.20.30.40/cal.ics"}, b""),
            "/to-metadata.ics": lambda h: (
                302,
                {"Location": "http://169.254.169.254/latest/meta-data/"},
                b"",
            ),
            "/garbage.ics": lambda h: (200, {"Content-Type": "text/html"}, b"<html>oops</html>"),
            "/error.ics": lambda h: (500, {}, b"boom"),
        }
    )
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.seen = []
    httpd.files = files
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def radicale_server(tmp_path_factory):
    """A Radicale CalDAV server on loopback, no authentication (any user name), its own storage."""
    folder: Path = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder / "collections"),
            "--auth-type",
            "none",
            "--rights-type",
            "owner_only",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("Radicale did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def make_radicale_calendar(url: str, username: str, name: str = "Work"):
    """A calendar in the user's Radicale account, made with the caldav client (as an app would)."""
    import caldav
    from niquests.auth import HTTPBasicAuth

    # Radicale without authentication takes the user name of a Basic header sent up front.
    client = caldav.DAVClient(url=f"{url}/{username}/", auth=HTTPBasicAuth(username, "x"))
    principal = client.principal()
    for existing in principal.calendars():
        return existing
    return principal.make_calendar(name=name)
