"""Fixtures for the matching library tests (no Flask anywhere here)."""
from __future__ import annotations

import pytest

from matching.embedder import Embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged all-MiniLM-L6-v2, loaded once for the whole run."""
    return Embedder()
