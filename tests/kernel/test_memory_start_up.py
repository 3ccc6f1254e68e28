"""Setting the start-up's objects aside: the garbage it dropped is collected first, what it
left alive is frozen, so later full collections (which stop the window) do not walk it."""

from __future__ import annotations

import gc
import weakref

from cmplanner.memory import set_aside_start_up


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_start_up_garbage_is_collected_and_survivors_frozen() -> None:
    kept = [[n] for n in range(1000)]
    dropped = _Node()
    gone = weakref.ref(dropped)
    del dropped
    before = gc.get_freeze_count()
    try:
        frozen = set_aside_start_up()
        assert gone() is None  # collected, not frozen for good
        assert frozen >= before + len(kept)
        watched = {id(o) for o in gc.get_objects()}  # what collections still walk
        assert not any(id(x) in watched for x in kept)
        assert gc.isenabled()  # collection goes on for what comes later
    finally:
        gc.unfreeze()
