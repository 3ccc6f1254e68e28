"""The core never imports Qt: every cmplanner module loads in a process without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cmplanner


def test_every_core_module_imports_without_qt() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(cmplanner.__path__, "cmplanner.")
        if ".migrations" not in info.name and info.name != "cmplanner.__main__"
    ]
    assert "cmplanner.cli" in modules and "cmplanner.storage.database" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_first_view_fills_without_sqlalchemy() -> None:
    """A cold start reads the first list through sqlite3; SQLAlchemy, SQLModel and Alembic
    (over half a second of imports) load later, when something writes."""
    code = (
        "import sys\n"
        "import cmplanner.services.browse, cmplanner.services.stats, cmplanner.storage\n"
        "import cmplanner.model.enums, cmplanner.bus, cmplanner.i18n\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'alembic', 'pydantic'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_building_the_cli_parser_imports_no_importer() -> None:
    code = (
        "import sys\n"
        "from cmplanner.cli.main import build_parser\n"
        "build_parser()\n"
        "bad = sorted(m for m in sys.modules if m.startswith('cmplanner.interop.contacts')"
        " or m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'vobject', 'phonenumbers'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_formats_match_the_importer() -> None:
    from cmplanner.cli import contact_files as commands
    from cmplanner.interop.contacts import parse, plan

    assert commands.FORMATS == parse.FORMATS
    assert commands.MERGE_MODES == plan.MERGE_MODES
