"""Real Redis, real Celery worker processes, and the app wired to them."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marketplace import create_app
from tests.conftest import Client
from tests.services import missing, redis_url

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float = 60, interval: float = 0.2, what: str = "condition"):
    """Poll until predicate() is truthy; fail the test with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Workers:
    """Start and kill real `celery worker` processes for one test."""

    def __init__(self, env: dict, logdir: Path):
        self.env, self.logdir, self.procs = env, logdir, []

    def start(self) -> subprocess.Popen:
        n = len(self.procs)
        log = open(self.logdir / f"worker{n}.log", "wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.entry", "worker", "--loglevel", "INFO",
             "--concurrency", "1", "-n", f"test{n}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        wait_for(lambda: b"ready." in (self.logdir / f"worker{n}.log").read_bytes(), 90,
                 what=f"worker {n} to be ready")
        return proc

    def kill9(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children: no warm shutdown, no ack."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.logdir.glob("*.log")))


@pytest.fixture
def broker_url() -> str:
    """A Redis database of its own for these tests, emptied before and after."""
    import redis

    base = redis_url().rsplit("/", 1)[0]
    url = f"{base}/13"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def worker_env(settings, broker: str, tmp_path: Path) -> dict:
    env = {**os.environ, "APP_ENV": "test", "SECRET_KEY": settings.secret_key,
           "DATABASE_URL": settings.database_url, "CELERY_BROKER_URL": broker,
           "INDEX_DIR": settings.index_dir, "EMBEDDING_CACHE_DIR": settings.embedding_cache_dir,
           "CELERY_VISIBILITY_TIMEOUT": "4", "JOB_LEASE_SECONDS": "4", "CELERY_RESTORE_INTERVAL": "1",
           "PYTHONUNBUFFERED": "1"}
    env.pop("REQUIRE_SERVICES", None)
    return env


@pytest.fixture
def broker_app(settings, broker_url, tmp_path):
    """The web app sending tasks to Redis (not in-process)."""
    configured = settings.model_copy(update={"celery_broker_url": broker_url, "celery_visibility_timeout": 4,
                                             "job_lease_seconds": 4})
    app = create_app(configured)
    app.test_client_class = Client
    yield app
    from tests.conftest import truncate_all

    truncate_all(app.extensions["db_engine"])
    app.extensions["db_engine"].dispose()


@pytest.fixture
def workers(broker_app, broker_url, tmp_path):
    group = Workers(worker_env(broker_app.config["SETTINGS"], broker_url, tmp_path), tmp_path)
    yield group
    group.stop_all()


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of our own on a free port, which a test may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server", "install redis-server")
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"

        def start(self):
            self.proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                          "--appendonly", "no", "--dir", str(tmp_path)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            import redis

            wait_for(lambda: _pings(redis, self.url), 20, what="redis to start")

        def stop(self):
            self.proc.terminate()
            self.proc.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


def _pings(redis, url) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False
