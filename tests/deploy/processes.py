"""The production web stack as real processes on loopback ports: gunicorn started with the
Dockerfile's own CMD, and nginx with deploy/nginx.conf in front of it when nginx is installed."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "mentoring.example.org"  # the Host every request names, as behind the real proxy
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dockerfile_cmd() -> list[str]:
    """The Dockerfile's CMD (exec form), the command the image runs."""
    lines = [
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    ]
    assert len(lines) == 1, lines
    return json.loads(lines[0].removeprefix("CMD "))


def production_env(var_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on a throwaway SQLite file: /healthz needs no table."""
    dropped = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring.settings",
        DEBUG="false",
        SECRET_KEY="slow-client-test-7Hq2vN9xK4mP8rT1wZ6yB3cF5gJ0lS-aE2dR9uI4oQ7",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        VAR_DIR=str(var_dir),
        # No drain before the graceful stop (deploy/gunicorn.conf.py): these tests stop at once.
        DRAIN_SECONDS="0",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


def kill_group(process: subprocess.Popen) -> None:
    """A process started with start_new_session, and all it started: SIGKILL."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop_group(process: subprocess.Popen, *, grace: float) -> None:
    """SIGTERM to the process group; SIGKILL if it has not stopped within `grace` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            kill_group(process)


def get(port: int, path: str, *, timeout: float) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        return connection.getresponse().status
    finally:
        connection.close()


def wait_until_answers(port: int, path: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30  # three workers starting Django on a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text()}")
        try:
            if get(port, path, timeout=1) == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"no 200 from {path} on :{port} within 30 s:\n{log.read_text()}")


@contextmanager
def running(command: list[str], *, env: dict, log: Path, port: int, ready_path: str):
    """Start `command` in its own process group, wait for a 200 on `ready_path`, stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_answers(port, ready_path, process, log)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


@contextmanager
def gunicorn(tmp_path: Path, **environment: str):
    """The image's command, bound to a free loopback port instead of 0.0.0.0:8000."""
    port = free_port()
    command = dockerfile_cmd()
    assert command[0] == "gunicorn", command
    command = [str(Path(sys.executable).with_name("gunicorn")), *command[1:]]
    command += ["--bind", f"127.0.0.1:{port}"]  # the command line wins over the config file
    env = {**production_env(tmp_path), **environment}
    with running(command, env=env, log=tmp_path / "gunicorn.log", port=port, ready_path="/healthz"):
        yield port


def nginx_conf(tmp_path: Path, *, listen: int, upstream: int) -> Path:
    """deploy/nginx.conf with loopback addresses for `listen 80` and the `web:8000` upstream, and
    its scratch folders in tmp_path."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("server web:8000;", f"server 127.0.0.1:{upstream};"),
        ("http {", "http {\n" + _scratch_folders(tmp_path)),
    ):
        assert text.count(old) == 1, f"deploy/nginx.conf should hold {old!r} once"
        text = text.replace(old, new)
    path = tmp_path / "nginx.conf"
    path.write_text(text)
    return path


def _scratch_folders(tmp_path: Path) -> str:
    return "".join(
        f"    {kind}_temp_path {tmp_path / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )


@contextmanager
def nginx(tmp_path: Path, *, upstream: int):
    port = free_port()
    conf = nginx_conf(tmp_path, listen=port, upstream=upstream)
    main = f"daemon off; pid {tmp_path / 'nginx.pid'};"
    if os.geteuid() == 0:
        main += " user root;"  # its workers read the scratch folders in a root-only tmp_path
    command = [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr", "-g", main]
    with running(
        command, env=dict(os.environ), log=tmp_path / "nginx.log", port=port, ready_path="/healthz"
    ):
        yield port
