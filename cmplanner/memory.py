"""Keeping Python's cycle collector from freezing the window during bulk work.

A full collection walks every tracked object; with 10,000 parsed cards alive that is a
tenth of a second during which no thread runs Python, the GUI's included. While a bulk job
allocates, automatic collection is paused; what the job leaves alive is then frozen (moved
out of the collector's sight: parsed cards hold no reference cycles, so reference counting
frees them when they are dropped) and collection resumes.
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
