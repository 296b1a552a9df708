"""`make bench`: each module of this package is one part; `python -m benchmarks [part ...]`."""

import socket


def answers(host: str, port: int) -> bool:
    """Whether something accepts a connection there within half a second (a local service)."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
