"""Where errors go: a log file for everything, a dialog for the user.

A `CMPlannerError` carries a message meant for the user and is shown as it is; anything else
is a bug, shown with its traceback (so it can be reported) and written to the log.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from cmplanner import paths
from cmplanner.errors import CMPlannerError, explained
from cmplanner.i18n import _

log = logging.getLogger("cmplanner")

_handler: logging.FileHandler | None = None
LOG_MAX_BYTES = 1_000_000
LOG_KEEP = 3
# Set by the startup probe: no dialog may wait for a click that never comes.
non_interactive = False


def setup_logging() -> Path:
    """Log to `log_dir()/cmplanner.log`, rotated at start past 1 MB, three old files kept.

    Rotating at start rather than with logging.handlers keeps that module (and the socket,
    pickle and queue modules it drags in) out of a cold start.
    """
    global _handler
    path = paths.log_dir() / "cmplanner.log"
    root = logging.getLogger()
    if _handler is not None:
        if Path(_handler.baseFilename) == path:
            return path
        root.removeHandler(_handler)  # the data folder changed (tests, portable installs)
        _handler.close()
    _rotate(path)
    _handler = logging.FileHandler(path, encoding="utf-8")
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def _rotate(path: Path) -> None:
    try:
        if not path.exists() or path.stat().st_size < LOG_MAX_BYTES:
            return
        for n in range(LOG_KEEP - 1, 0, -1):
            older = path.with_name(f"{path.name}.{n}")
            if older.exists():
                older.replace(path.with_name(f"{path.name}.{n + 1}"))
        path.replace(path.with_name(f"{path.name}.1"))
    except OSError:
        pass  # a log that cannot rotate keeps growing; never a reason not to start


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def show_message(text: str, title: str = "") -> None:
    """A user-facing error: plain text, no traceback."""
    # imported on use, not at the top: keeps it off the start-up path
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.warning(QApplication.activeWindow(), title or _("CM Planner"), text)


def show_exception_dialog(exc: BaseException) -> None:
    """An unexpected error: say so, and show the traceback for a bug report."""
    # imported on use, not at the top: keeps it off the start-up path
    from PySide6.QtWidgets import QApplication, QMessageBox

    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Unexpected error"))
    box.setText(_("Something went wrong inside CM Planner. Your data has not been lost."))
    box.setInformativeText(
        _("The details below were written to the log file:\n{path}").format(
            path=paths.log_dir() / "cmplanner.log"
        )
    )
    box.setDetailedText(format_exception(exc))
    box.exec()


def report(exc: BaseException, title: str = "") -> None:
    """Route any error raised by a job or a slot to the right dialog; `title` names what
    failed (a user-facing error's dialog is titled "CM Planner" without it)."""
    if non_interactive:
        log.error("Error", exc_info=(type(exc), exc, exc.__traceback__))
        print(format_exception(exc), file=sys.stderr, flush=True)
        return
    if isinstance(exc, CMPlannerError):
        log.warning("%s", exc)
        show_message(str(exc), title)
        return
    found = explained(exc)  # a full disk, a read-only file…: said as such, not as a bug
    if found is not None:
        log.warning("%s", found, exc_info=(type(exc), exc, exc.__traceback__))
        show_message(str(found))
        return
    log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    show_exception_dialog(exc)


_reporting = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _reporting
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    if _reporting:  # an error while showing an error: do not loop
        log.error("Error while reporting an error", exc_info=(exc_type, exc, tb))
        return
    _reporting = True
    try:
        report(exc)
    finally:
        _reporting = False


def install_excepthook() -> None:
    sys.excepthook = excepthook
