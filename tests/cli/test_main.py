"""The `cmplanner` command as a user runs it: clear lines, exit code 2 on user errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cmplanner import __version__
from cmplanner.cli.main import main
from cmplanner.storage.backup import list_backups

GOLDEN_V1 = Path(__file__).parent.parent / "golden" / "schema-0001.cmplanner"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmplanner", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CMPLANNER_LANG": "en", **(env or {})},
        timeout=120,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_demo_then_info(tmp_path: Path) -> None:
    db = tmp_path / "mine.cmplanner"
    assert run("--db", str(db), "demo").returncode == 0
    result = run("--db", str(db), "info")
    assert result.returncode == 0, result.stderr
    assert str(db) in result.stdout
    assert "Contacts: 74" in result.stdout
    assert "Schema revision:" in result.stdout
    assert "Latest backup: none" in result.stdout


def test_demo_refuses_a_database_with_data_unless_forced(tmp_path: Path) -> None:
    db = tmp_path / "mine.cmplanner"
    assert run("--db", str(db), "demo").returncode == 0
    again = run("--db", str(db), "demo")
    assert again.returncode == 2
    assert "already holds data" in again.stderr
    assert "Traceback" not in again.stderr
    assert run("--db", str(db), "demo", "--force").returncode == 0


def test_database_chosen_by_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.cmplanner"
    assert run("demo", env={"CMPLANNER_DB": str(db)}).returncode == 0
    assert db.exists()


def test_info_refuses_garbage_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 200)
    result = run("--db", str(bad), "info")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "not a CM Planner database" in result.stderr
    assert "Traceback" not in result.stderr


def test_info_on_an_older_database_says_it_will_be_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, db)
    result = run("--db", str(db), "info")
    assert result.returncode == 0, result.stderr
    assert "Schema revision: 0001" in result.stdout
    assert "upgraded to" in result.stdout


def test_backup_list_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "mine.cmplanner"
    assert main(["--db", str(db), "demo"]) == 0
    assert main(["--db", str(db), "backup"]) == 0
    backups = list_backups(db)
    assert len(backups) == 1
    capsys.readouterr()
    assert main(["--db", str(db), "backup", "--list"]) == 0
    assert str(backups[0].path) in capsys.readouterr().out
    assert main(["--db", str(db), "restore", str(backups[0].path)]) == 0
    assert "previous content was backed up" in capsys.readouterr().out
    assert {b.reason for b in list_backups(db)} == {"manual", "before-restore"}


def test_restore_of_a_missing_file_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "x.cmplanner"), "restore", "nope.cmpbak"]) == 2
    assert "No backup file" in capsys.readouterr().err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err and err.count("\n") == 1


def test_french_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "--help"]) == 0
    assert "base de données" in capsys.readouterr().out


def test_version_matches_pyproject() -> None:
    import tomllib

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text())["project"]["version"] == __version__


WINDOW_STARTS = [
    [],
    ["--db", "a.cmplanner"],
    ["--db=a.cmplanner", "--lang", "fr"],
    ["--demo", "--lang=en"],
    ["--db", "contacts"],
    ["--db", "a", "--db", "b"],
]
REFUSED_OR_NOT_A_WINDOW = [
    ["--lang", "de"],
    ["--db"],
    ["--db", ""],
    ["--demo=1"],
    ["--db", "-x"],
    ["--d", "x"],
    ["--version"],
    ["contacts", "list"],
]


@pytest.mark.parametrize("argv", WINDOW_STARTS + REFUSED_OR_NOT_A_WINDOW)
def test_the_window_parser_reads_as_the_whole_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.cli.main import build_parser, parse_arguments

    def parsed(parse: object) -> object:
        try:
            return vars(parse(argv))  # type: ignore[operator]
        except SystemExit as stop:
            return ("exit", stop.code)

    quick = parsed(parse_arguments), capsys.readouterr()
    whole = parsed(build_parser().parse_args), capsys.readouterr()
    assert quick == whole


def test_starting_the_window_loads_no_command_module() -> None:
    """The sub-commands' modules (and their services) are not on the window's start-up
    path; the whole parser loads for a command, --help or a refusal."""
    code = (
        "import sys\n"
        "from cmplanner.cli.main import parse_arguments\n"
        "parse_arguments(['--db', 'a.cmplanner', '--lang', 'en'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('cmplanner.')"
        " and m.split('.')[1] in ('cli', 'services', 'formats')"
        " and m not in ('cmplanner.cli', 'cmplanner.cli.main', 'cmplanner.cli.common')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
