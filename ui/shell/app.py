"""Starting the desktop app: `run(db_path, demo)` is called by `cmplanner` with no sub-command.

Kept lean: the benchmark compares a cold start with a bare PySide6 window, so heavy modules
are imported when first needed and the first section is filled before anything else runs.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cmplanner import APP_ID, APP_NAME, __version__, paths
from cmplanner.errors import CMPlannerError, DatabaseLocked
from cmplanner.i18n import _, current_language, set_language
from ui.kit import errors, settings
from ui.kit.qt_catalog import install_qt_translations

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

EXIT_CANNOT_OPEN = 2
PROBE_ENV = "CMPLANNER_STARTUP_PROBE"

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(APP_ID)
    QApplication.setApplicationName(APP_ID)
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_ID)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    from ui.kit.icons import app_icon, icon_path  # start-up: when first needed

    if icon_path(APP_ID).exists():
        app.setWindowIcon(app_icon())  # an SVG: sharp at any display scale
    return app


def demo_title(path: Path) -> str:
    """The window's title on the demo database, the app's name last and once (Qt's title bar
    adds it to a title that does not end with it: "… (demo) — CM Planner — CM Planner")."""
    return _("{title} (demo)").format(title=path.name) + f" — {APP_NAME}"


def language_from_command_line() -> bool:
    """`cmplanner --lang xx` or CMPLANNER_LANG already chose the language: it beats the setting."""
    return "--lang" in sys.argv[1:] or bool(os.environ.get("CMPLANNER_LANG"))


def apply_language(app: QApplication, keep_current: bool = False) -> str:
    """The saved language ("" = the system's) for our catalog and Qt's own strings."""
    from ui.kit.display import app_locale  # start-up: when first needed

    if keep_current:
        language = current_language()
    else:
        language = set_language(settings.saved_language() or None)
    QLocale.setDefault(app_locale())
    install_qt_translations(app, language)
    return language


def apply_style(app: QApplication) -> None:
    """Fusion with the app's own palette and style sheet in one scheme, light or dark: the
    desktop's (followed while running) or the one chosen in Preferences (ui.kit.theme)."""
    from ui.kit import focus_ring, theme  # start-up: when first needed

    theme.apply(app)
    focus_ring.follow_focus(app)  # the keyboard focus, ringed in the theme's `focus` colour


def run(db_path: Path | None, demo: bool = False) -> int:
    """Show the main window on `db_path`; return the process exit code.

    Ordered for a fast cold start: only what the first section needs comes before it is
    shown filled; the single-instance listener comes after, then the start-up's objects are
    set aside from the cycle collector (`finish_start_up`).
    """
    probe = os.environ.get(PROBE_ENV) == "1"
    errors.non_interactive = probe
    errors.setup_logging()
    app = create_application()
    apply_language(app, keep_current=language_from_command_line())
    errors.install_excepthook()

    if db_path is None:
        db_path = last_database() or paths.default_database()
    db_path = Path(db_path).expanduser().resolve()
    from cmplanner.storage import Database  # start-up: when first needed

    try:
        db = Database.open(db_path)
    except DatabaseLocked as exc:
        # Another CM Planner has this database: bring its window forward, or say why not.
        from ui.shell.single_instance import ask_running_instance

        if ask_running_instance(db_path):
            log.info("%s is already open in another window: raised it", db_path)
            return 0
        return _cannot_open(db_path, exc)
    except CMPlannerError as exc:
        return _cannot_open(db_path, exc)

    apply_style(app)
    from ui.shell.main_window import MainWindow  # start-up: when first needed

    window = MainWindow(db)
    if demo:
        window.setWindowTitle(demo_title(db_path))
    window.show()
    for notice in db.notices:  # an interrupted upgrade undone while opening: say it once
        window.show_message(notice)
    # The first section fills before the single-instance listener is even imported: a person
    # sees a useful window as early as possible (and the start-up benchmark measures that).
    _wait_for_first_view(window)
    if probe:
        window.backup_on_close = False
        print(f"CMPLANNER_READY {time.perf_counter()}", flush=True)
        window.close()
        return 0

    from ui.shell.single_instance import InstanceServer  # start-up: when first needed

    window.attach_instance_server(InstanceServer(app))
    finish_start_up()
    app.exec()
    return 0


def finish_start_up() -> None:
    """Once the window shows its first view: set the start-up's objects aside from the cycle
    collector (cmplanner.memory). Without it, every full collection set off later by everyday
    work (moving an event, a refresh) walks them all again and stops the window, the GUI
    thread included, for up to a tenth of a second on a big database. Costs one collection,
    after the window is up (so a cold start is not slower to show a useful window)."""
    from cmplanner import memory  # start-up: when first needed

    started = time.perf_counter()
    frozen = memory.set_aside_start_up()
    log.debug(
        "start-up objects set aside: %d in %.0f ms", frozen, (time.perf_counter() - started) * 1e3
    )


def last_database() -> Path | None:
    """The database the GUI showed last, if it is still there."""
    saved = settings.app_settings().value(settings.LAST_DATABASE, "")
    path = Path(str(saved)) if saved else None
    return path if path is not None and path.is_file() else None


def _cannot_open(db_path: Path, exc: CMPlannerError) -> int:
    log.warning("Cannot open %s: %s", db_path, exc)
    if not errors.non_interactive:
        QMessageBox.critical(None, _("Cannot open the database"), str(exc))
    else:
        print(f"cmplanner: {exc}", file=sys.stderr)
    return EXIT_CANNOT_OPEN


def _wait_for_first_view(window: MainWindow, timeout_ms: int = 15_000) -> None:
    if window.first_view_filled:
        return
    waiting = QEventLoop()
    window.firstViewFilled.connect(waiting.quit)
    QTimer.singleShot(timeout_ms, waiting.quit)  # never hang here, whatever happens
    waiting.exec()
