"""docker-compose.yml, checked without a Docker engine (none can pull images here): Debian's
`docker-compose config` validates it against the Compose schema and resolves it, and the tests
below read it for what the stack relies on. The images are not pulled or run here; the commands
they run are (tests/deploy/test_slow_clients.py, tests/deploy/test_one_beat.py)."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from django.conf import settings

from tests.deploy.processes import ROOT, dockerfile_cmd

COMPOSE = ROOT / "docker-compose.yml"
LONG_RUNNING = {"postgres", "redis", "objectstore", "web", "worker", "beat", "proxy"}
SCALED = ("web", "worker", "beat")
DOCKER_COMPOSE = shutil.which("docker-compose")


def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def _config(env: dict[str, str]) -> subprocess.CompletedProcess:
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "OBJECT_STORE_SECRET_KEY", "STORAGE_URL")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [DOCKER_COMPOSE, "-f", str(COMPOSE), "config", "--quiet"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(DOCKER_COMPOSE is None, reason="apt-get install docker-compose")
def test_docker_compose_accepts_the_file():
    result = _config({"SECRET_KEY": "compose-check", "OBJECT_STORE_SECRET_KEY": "compose-check"})
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(DOCKER_COMPOSE is None, reason="apt-get install docker-compose")
def test_docker_compose_refuses_to_start_without_a_secret_key():
    result = _config({"OBJECT_STORE_SECRET_KEY": "compose-check"})
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


@pytest.mark.skipif(DOCKER_COMPOSE is None, reason="apt-get install docker-compose")
def test_docker_compose_refuses_to_start_without_an_object_store_key():
    result = _config({"SECRET_KEY": "compose-check"})
    assert result.returncode != 0
    assert "set OBJECT_STORE_SECRET_KEY" in result.stderr


def test_the_stack_has_its_services_each_with_a_healthcheck():
    found = services()
    assert set(found) == LONG_RUNNING
    for name, service in found.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_only_the_proxy_publishes_a_port():
    published = {name for name, service in services().items() if service.get("ports")}
    assert published == {"proxy"}


def test_the_proxy_is_nginx_with_the_repository_config_in_front_of_web():
    proxy = services()["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000;" in conf


def _nginx_directives(name: str) -> list[str]:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    return re.findall(rf"^\s*{name}\s+([^;]+);", conf, flags=re.MULTILINE)


def test_nginx_buffers_requests_with_deadlines():
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        assert _nginx_directives(name), f"deploy/nginx.conf sets no {name}"
    assert _nginx_directives("proxy_request_buffering") == ["on"]
    headers = " ".join(_nginx_directives("proxy_set_header"))
    for header in ("Host", "X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Host"):
        assert f"{header} " in headers


def test_nginx_takes_an_upload_the_app_allows():
    (size,) = _nginx_directives("client_max_body_size")
    number, unit = re.fullmatch(r"(\d+)([km]?)", size.lower()).groups()
    limit = int(number) * {"": 1, "k": 1024, "m": 1024**2}[unit]
    # Room above the file itself for the multipart framing and the form's other fields.
    assert limit >= settings.MATERIAL_MAX_UPLOAD_BYTES + 1024**2


def test_web_runs_the_images_gunicorn_command_with_the_config_file():
    command = services()["web"]["command"]
    image_command = " ".join(dockerfile_cmd())
    assert image_command == "gunicorn mentoring.wsgi --config deploy/gunicorn.conf.py"
    assert f'exec {image_command}"' in command  # nothing added: the file holds every setting


def test_data_lives_in_the_services_not_on_the_app_containers():
    document = yaml.safe_load(COMPOSE.read_text())
    assert set(document["volumes"]) == {"pgdata", "redisdata", "objectdata"}
    found = services()
    assert "pgdata:/var/lib/postgresql/data" in found["postgres"]["volumes"]
    assert "redisdata:/data" in found["redis"]["volumes"]
    assert "objectdata:/data" in found["objectstore"]["volumes"]
    for name in SCALED:  # no shared disk: files go to the object store
        assert not found[name].get("volumes"), name
        assert "MEDIA_ROOT" not in found[name]["environment"]


def test_web_and_worker_scale_and_share_the_object_store():
    # `docker compose up --scale web=2 --scale worker=2`: nothing that names one container.
    found = services()
    for name in SCALED:
        service = found[name]
        assert not {"container_name", "ports", "hostname"} & set(service), name
        assert service["depends_on"]["objectstore"] == {"condition": "service_healthy"}
        assert "objectstore:9000" in service["environment"]["STORAGE_URL"]
        assert service["environment"]["AWS_SECRET_ACCESS_KEY"].startswith(
            "${OBJECT_STORE_SECRET_KEY"
        )
        # Longer than the drain and the graceful stop (deploy/gunicorn.conf.py), and a chunk.
        assert service["stop_grace_period"] == "60s"
    # The bucket is made (on a fresh MinIO) and checked before gunicorn starts.
    assert "python manage.py prepare_storage &&" in found["web"]["command"]


def test_beat_is_the_locked_scheduler_and_answers_its_healthcheck_ping():
    beat = services()["beat"]
    assert "--enable-remote-control" in beat["command"]
    assert "celerybeat@$$HOSTNAME" in " ".join(beat["healthcheck"]["test"])
    assert settings.CELERY_BEAT_SCHEDULER == "mentoring.beat.LockedScheduler"


def web_healthcheck(port: int) -> list[str]:
    """The web service's healthcheck command, pointed at `port` instead of 8000."""
    kind, *command = services()["web"]["healthcheck"]["test"]
    assert kind == "CMD"
    assert sum("127.0.0.1:8000/healthz" in part for part in command) == 1
    return [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in command]


def run_web_healthcheck(port: int, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = web_healthcheck(port)
    assert command[0] == "python"
    command[0] = sys.executable
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
