"""Where the real services for tests are, and what to do when one is missing."""
from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")


def missing(service: str, how: str) -> None:
    """Skip locally, fail under REQUIRE_SERVICES=1 (CI must run everything)."""
    message = f"{service} is not available: {how}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


def redis_url() -> str:
    """The Redis URL for tests, after checking it answers."""
    if not REDIS_URL:
        missing("Redis", "set REDIS_URL")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        missing("Redis", f"{REDIS_URL} does not answer ({exc})")
    return REDIS_URL


def postgres_only() -> None:
    """For tests whose point is PostgreSQL behaviour."""
    if not TEST_DATABASE_URL.startswith(("postgres", "postgresql")):
        missing("PostgreSQL", "set TEST_DATABASE_URL")
