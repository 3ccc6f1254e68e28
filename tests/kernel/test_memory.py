"""Pausing the cycle collector during bulk work, and resuming it, whatever happens."""

from __future__ import annotations

import gc

import pytest

from cmplanner.memory import bulk_allocation


def test_collection_is_paused_then_resumed_and_survivors_frozen() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with bulk_allocation():
        assert not gc.isenabled()
        with bulk_allocation():  # nested (a parse inside an import)
            kept = [[n] for n in range(1000)]
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(kept)


def test_an_error_still_resumes_collection() -> None:
    with pytest.raises(RuntimeError), bulk_allocation():
        raise RuntimeError("boom")
    assert gc.isenabled()
