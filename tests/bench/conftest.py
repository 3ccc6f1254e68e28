from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.harness import generate


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated database with 200 contacts, one per test module."""
    return generate(tmp_path_factory.mktemp("bench") / "small.cmplanner")
