"""Keeping Python's cycle collector from freezing the window during bulk work.

A full collection walks every tracked object; with 10,000 parsed cards alive that is a
tenth of a second during which no thread runs Python, the GUI's included. While a bulk job
allocates, automatic collection is paused; what the job leaves alive is then frozen (moved
out of the collector's sight: parsed cards hold no reference cycles, so reference counting
frees them when they are dropped) and collection resumes.

The same goes for the start-up: once the window shows its first view, what the start-up
left alive (modules, classes, the window's objects: most of what a session ever holds) is
frozen once, so the full collections set off later by everyday work walk only what came
after — a few milliseconds rather than a tenth of a second.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextlib.contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause automatic cycle collection for the block (re-entrant, any thread)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()


def set_aside_start_up() -> int:
    """Collect what the start-up dropped, then freeze what it left alive (call once, when
    the window is up). Returns how many objects are now out of the collector's sight."""
    with _lock:
        gc.collect()
        gc.freeze()
        return gc.get_freeze_count()
