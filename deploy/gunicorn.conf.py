"""gunicorn's settings for the Dockerfile's CMD and docker-compose's `web`: one file, so they cannot drift.

Clients reach gunicorn through nginx (deploy/nginx.conf), which reads each request whole before it
passes it on. gunicorn is still built to survive a slow client on its own (a proxy misconfigured or
bypassed, a health check from inside the network): gthread workers keep connections that have sent
nothing yet in a poller instead of a thread, and each connection that is sending holds one thread of
one worker, never a whole worker as a sync worker would (three clients sending a header line a
second stopped a 3-worker sync gunicorn for 30 s; tests/deploy/test_slow_clients.py).
"""

import os
import time
from pathlib import Path

bind = ["0.0.0.0:8000"]
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
# Each thread keeps its own database connection (CONN_MAX_AGE): workers × threads connections.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A worker whose main loop stops answering for this long is killed and replaced; with threads a
# long request does not stop the loop, so this catches a stuck worker, not a slow page.
timeout = 30
graceful_timeout = 30
# Below nginx's upstream keepalive_timeout would race it (nginx reusing a connection gunicorn is
# closing): nginx's is 4 s (deploy/nginx.conf), so gunicorn keeps idle connections a little longer.
keepalive = 5
# The heartbeat file on tmpfs: a container's overlay /tmp can stall it and get workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Operators use signals (HUP, TERM); no control socket in $HOME for several instances to share.
control_socket_disable = True
accesslog = "-"

# Rolling restarts. SIGTERM first drains: for DRAIN_SECONDS the node keeps serving every request
# while /healthz answers 503 (the file below, which mentoring.views.healthz looks for), so a load
# balancer that checks it stops sending new requests here; then gunicorn stops gracefully: it
# closes its port (nginx passes what would have come here to the other nodes) and lets each worker
# finish the requests it holds, up to graceful_timeout. The same VAR_DIR as the app's settings.
DRAIN_SECONDS = float(os.environ.get("DRAIN_SECONDS", "10"))
DRAIN_FILE = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parent.parent / "var")) / (
    "draining"
)


def on_starting(server):
    DRAIN_FILE.unlink(missing_ok=True)

    def handle_term():
        server.log.info("SIGTERM: draining for %s s (/healthz answers 503)", DRAIN_SECONDS)
        DRAIN_FILE.parent.mkdir(parents=True, exist_ok=True)
        DRAIN_FILE.touch()
        time.sleep(DRAIN_SECONDS)  # the workers go on serving meanwhile
        raise StopIteration  # gunicorn's own SIGTERM: a graceful stop

    server.handle_term = handle_term


def on_exit(server):
    DRAIN_FILE.unlink(missing_ok=True)
