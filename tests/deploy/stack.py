"""A multi-node stack on loopback for tests/deploy/test_two_nodes.py: a Redis of its own, web nodes
(the Dockerfile's gunicorn command, each with its own VAR_DIR), nginx with deploy/nginx.conf and a
round-robin upstream of the nodes, Celery workers and beats (each with its own VAR_DIR), all on the
test's PostgreSQL database and one S3-compatible bucket (tests/object_store.py). No shared disk:
what one node writes under its VAR_DIR no other node sees."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

from tests.deploy.processes import (
    HOST,
    NGINX,
    ROOT,
    _scratch_folders,
    dockerfile_cmd,
    free_port,
    kill_group,
    production_env,
    running,
    stop_group,
)

CELERY = Path(sys.executable).with_name("celery")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def app_env(var_dir: Path, *, database_url: str, redis_url: str, storage: dict) -> dict:
    """A node's environment: production settings (DEBUG off), the shared services, its own disk."""
    env = production_env(var_dir)
    for name in ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)
    env.update(
        SECRET_KEY="two-node-test-Zq8wX3vB6nM1kL9jH4gF7dS2aP5oI0uY",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CONN_MAX_AGE="0",
        NOTIFICATION_LEASE_SECONDS="3",
        DRAIN_SECONDS="2",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **storage,
    )
    return env


@contextmanager
def redis_server(folder: Path):
    port = free_port()
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    log = folder / "redis.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(f"redis did not start:\n{log.read_text()}") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def collect_static(env: dict, into: Path) -> None:
    """What the image does at build time (Dockerfile), once: every node gets the same files."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={**env, "VAR_DIR": str(into)},
        cwd=ROOT,
        check=True,
    )


class WebNode:
    def __init__(self, name: str, var_dir: Path, env: dict, static: Path):
        self.name, self.var_dir = name, var_dir
        var_dir.mkdir(parents=True, exist_ok=True)
        (var_dir / "staticfiles").symlink_to(static / "staticfiles")
        self.port = free_port()
        self.log = var_dir / "gunicorn.log"
        command = [str(Path(sys.executable).with_name("gunicorn")), *dockerfile_cmd()[1:]]
        self.command = [*command, "--bind", f"127.0.0.1:{self.port}"]
        self.env = {**env, "VAR_DIR": str(var_dir)}

    @contextmanager
    def running(self):
        with running(
            self.command, env=self.env, log=self.log, port=self.port, ready_path="/healthz"
        ) as process:
            self.process = process
            yield self

    def served(self, path: str) -> int:
        """How many requests for `path` this node's access log shows."""
        return len(re.findall(rf'"[A-Z]+ {re.escape(path)}(\?[^ ]*)? HTTP', self.log.read_text()))


def nginx_conf(folder: Path, *, listen: int, upstreams: list[int]) -> Path:
    """deploy/nginx.conf with every node as a server of the round-robin upstream."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{port};\n        " for port in upstreams).rstrip()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("server web:8000;", servers),
        ("http {", "http {\n" + _scratch_folders(folder)),
    ):
        assert text.count(old) == 1, f"deploy/nginx.conf should hold {old!r} once"
        text = text.replace(old, new)
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


@contextmanager
def nginx(folder: Path, *, upstreams: list[int]):
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = nginx_conf(folder, listen=port, upstreams=upstreams)
    main = f"daemon off; pid {folder / 'nginx.pid'};"
    if os.geteuid() == 0:
        main += " user root;"
    command = [NGINX, "-p", str(folder), "-c", str(conf), "-e", "stderr", "-g", main]
    with running(
        command, env=dict(os.environ), log=folder / "nginx.log", port=port, ready_path="/healthz"
    ):
        yield port


class Celery:
    """`celery worker` (solo pool: SIGKILL kills all of it) or `celery beat`, own VAR_DIR."""

    def __init__(self, kind: str, var_dir: Path, env: dict, extra: dict | None = None):
        var_dir.mkdir(parents=True, exist_ok=True)
        self.kind, self.var_dir = kind, var_dir
        self.log_path = var_dir / f"{kind}.log"
        env = {**env, "VAR_DIR": str(var_dir), **(extra or {})}
        if kind == "worker":
            # The project's settings with an .eml backend that can pause where the test kills it.
            env["DJANGO_SETTINGS_MODULE"] = "tests.reminders.worker_settings"
            command = [str(CELERY), "-A", "mentoring", "worker", "--pool=solo"]
            command += [
                "-n",
                f"w-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
            ]
        else:
            command = [str(CELERY), "-A", "mentoring", "beat", "--max-interval=1"]
        command.append("--loglevel=INFO")
        self.out = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, grace=20)
        self.out.close()

    def mails(self) -> list[Path]:
        return sorted((self.var_dir / "mail").glob("*.eml"))


class Visitor:
    """A person's browser, as far as the server can tell: cookies kept and sent back, the CSRF
    token read from each form. Cookies go back whatever their Secure flag (TLS ends in front)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, port: int, method: str, path: str, body: bytes = b"", headers=None):
        headers = {"Host": HOST, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            headers["Origin"] = f"http://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if found := TOKEN.search(content.decode(errors="replace")):
            self.token = found[1]
        return response.status, response, content

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]):
        from urllib.parse import urlencode

        data = urlencode({"csrfmiddlewaretoken": self.token, **fields}).encode()
        return self.request(port, "POST", path, data)

    def post_file(
        self,
        port: int,
        path: str,
        fields: dict[str, str],
        name: str,
        filename: str,
        content: bytes,
        content_type: str,
    ):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {"csrfmiddlewaretoken": self.token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            port,
            "POST",
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def sign_in(self, port: int, email: str, password: str) -> None:
        status, _r, _c = self.get(port, "/accounts/login/")
        assert status == 200, status
        status, _response, content = self.post(
            port, "/accounts/login/", {"login": email, "password": password}
        )
        assert status == 302, (status, content[:2000])
