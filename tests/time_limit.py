"""A time limit for tests that would hang on a regression: the test fails instead."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType


class TimeLimitExceeded(BaseException):
    """Not an Exception: no `except Exception` (a job runner, a command's error handler) takes
    it for an error to report and goes on."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block when it runs longer than `seconds` (SIGALRM: the
    main thread, where tests and their synchronous jobs run; Python loops are interrupted)."""

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
