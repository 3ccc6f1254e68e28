"""Where CM Planner keeps its files (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "cmplanner"
DB_SUFFIX = ".cmplanner"


def data_dir(create: bool = True) -> Path:
    """The user's data folder; `CMPLANNER_HOME` overrides it (tests, portable installs)."""
    override = os.environ.get("CMPLANNER_HOME")
    if override:
        path = Path(override)
    else:
        # imported on use, not at the top: a command given its database never needs it
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / f"collection{DB_SUFFIX}"


def demo_database() -> Path:
    return data_dir() / f"demo{DB_SUFFIX}"


def backups_dir(create: bool = True) -> Path:
    """Where backups are kept; `create=False` only names it (opening a database looks there
    without leaving a folder behind)."""
    path = data_dir(create) / "backups"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("CMPLANNER_HOME")
    if override:
        path = Path(override) / "logs"
    else:
        # imported on use, not at the top: a command given its database never needs it
        import platformdirs

        path = Path(platformdirs.user_log_dir(APP_DIR_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The `resources/` folder shipped next to the packages."""
    return Path(__file__).resolve().parent.parent / "resources"
