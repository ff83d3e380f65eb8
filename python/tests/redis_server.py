"""A throwaway real ``redis-server`` on a free loopback port, without persistence (as the Rust
tests' ``scaleway_partner_mock::RedisServer``). Standard library only: ``benchmarks/run.py``
imports it too, outside the test venv."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import time
from typing import Iterator


def free_port() -> int:
    """A loopback port nothing listens on (at the time of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running(binary: str) -> Iterator[str]:
    """Starts ``binary`` (a redis-server), waits until it answers PING, yields its URL and stops
    it. Raises ``RuntimeError`` when it never answers."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        server = subprocess.Popen([binary, *args, "--dir", tmp], stdout=subprocess.DEVNULL)
        try:
            for _ in range(1000):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                        c.sendall(b"PING\r\n")
                        if c.recv(16).startswith(b"+PONG"):
                            break
                except OSError:
                    time.sleep(0.01)
            else:
                raise RuntimeError("redis-server did not start")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.kill()
            server.wait()
