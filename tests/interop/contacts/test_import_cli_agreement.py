"""`contacts import --dry-run` says what the import then does (the same counts and kinds:
people apart from organization cards), and a refused file is one line on stderr — or a JSON
error with --json — with exit code 2, whatever the reason."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from cmplanner.storage import Database

FIXTURES = Path(__file__).parents[1] / "fixtures"
APPLE_COMPANY = """BEGIN:VCARD
VERSION:3.0
N:;;;;
FN:Vélo Cité
ORG:Vélo Cité;
X-ABShowAs:COMPANY
EMAIL;type=WORK:bonjour@velocite.fr
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Durand;Sophie;;;
FN:Sophie Durand
ORG:Vélo Cité;
EMAIL:sophie@velocite.fr
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Martin;Anne;;;
EMAIL:anne@velocite.fr
TEL:+33 4 78 00 00 00
END:VCARD
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "name",
    ["vcard40_kind_org.vcf", "apple_company.vcf", "vcard30_accents.vcf", "google_current.csv"],
)
def test_dry_run_and_import_agree(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / "apple_company.vcf").write_text(APPLE_COMPANY, encoding="utf-8")
    source = FIXTURES / name if (FIXTURES / name).exists() else tmp_path / name
    twin = tmp_path / "twin.cmplanner"
    # Twice: into a book that does not have them, then one that has (merges, suggestions).
    for _round in range(2):
        shutil.copyfile(demo_path, twin)
        code, out, _err = run(
            capsys, "--db", str(demo_path), "contacts", "import", str(source), "--dry-run"
        )
        assert code == 0
        said = out.strip().splitlines()[-1]
        code, out, _err = run(
            capsys, "--db", str(demo_path), "contacts", "import", str(source), "--dry-run", "--json"
        )
        planned = json.loads(out)
        assert sum(planned["counts"].values()) == len(planned["items"])
        code, out, _err = run(
            capsys, "--db", str(twin), "contacts", "import", str(source), "--json"
        )
        assert code == 0 and json.loads(out)["counts"] == planned["counts"]
        code, out, _err = run(capsys, "--db", str(demo_path), "contacts", "import", str(source))
        assert code == 0
        # The dry run's sentence is the report's, word for word.
        summary = next(line for line in out.splitlines() if line.startswith("Imported"))
        assert said == f"Dry run ({planned['format']}): {summary} Nothing was written."
    if name in ("vcard40_kind_org.vcf", "apple_company.vcf"):
        counts = planned["counts"]
        assert counts["organizations_merged"] + counts["organizations_created"] > 0


def test_organization_cards_are_counted_apart(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "apple.vcf"
    source.write_text(APPLE_COMPANY, encoding="utf-8")
    path = str(empty_db.path)
    empty_db.close()
    code, out, _err = run(capsys, "--db", path, "contacts", "import", str(source), "--dry-run")
    assert code == 0
    assert out.strip().splitlines()[-1] == (
        "Dry run (vcard): Imported 2 contacts, merged 0, 1 organization created."
        " Nothing was written."
    )
    code, out, _err = run(capsys, "--db", path, "contacts", "import", str(source))
    assert code == 0
    assert "Imported 2 contacts, merged 0, 1 organization created." in out


def test_refused_files_are_one_line_and_exit_2(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(empty_db.path)
    empty_db.close()
    unreadable = tmp_path / "locked.vcf"
    shutil.copyfile(FIXTURES / "vcard30_accents.vcf", unreadable)
    unreadable.chmod(0)
    cases = {
        "missing": (tmp_path / "nowhere.vcf", None, "there is no such file"),
        "folder": (tmp_path, None, "this is a folder, not a file"),
        "binary": (tmp_path / "photo.png", None, "binary file"),
        "bad encoding": (tmp_path / "utf16.vcf", None, "not readable text"),
        "not contacts": (tmp_path / "notes.txt", None, "neither a vCard nor a CSV"),
        "invalid card": (FIXTURES / "vcard_invalid_card.vcf", 6, "card 2: name:"),
        "bad CSV": (tmp_path / "bad.csv", 3, "cannot be read at line"),
    }
    if os.geteuid() != 0:  # root reads any file
        cases["unreadable"] = (unreadable, None, "not allowed to read this file")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (tmp_path / "utf16.vcf").write_bytes(b"\xff\xfeB\x00E\x00G\xd8")
    (tmp_path / "notes.txt").write_text("Courses : pain, lait, œufs\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text(  # a cell longer than the csv module reads
        "First Name,E-mail\nAnne,anne@x.fr\nPaul," + "x" * 200_000 + "\n", encoding="utf-8"
    )
    for what, (file, line, reason) in cases.items():
        for extra in ((), ("--dry-run",)):
            code, out, err = run(capsys, "--db", path, "contacts", "import", str(file), *extra)
            assert code == 2, what
            (only,) = err.splitlines() or [""]
            where = f"{file}:{line}: " if line else f"{file}: "
            assert only.startswith(f"cmplanner: {where}") and reason in only, (what, err)
            code, out, err = run(
                capsys, "--db", path, "contacts", "import", str(file), "--json", *extra
            )
            assert code == 2 and err == "", what
            error = json.loads(out)["error"]
            assert error["file"] == str(file) and error["line"] == line, what
            assert reason in error["reason"], what
    # Nothing was imported by any of them.
    with Database.open(Path(path)) as db, db.read() as con:
        assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 0


def test_a_database_that_cannot_be_opened_is_a_json_error_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_book = tmp_path / "notes.cmplanner"
    not_a_book.write_text("pas une base\n", encoding="utf-8")
    source = FIXTURES / "vcard30_accents.vcf"
    argv = ["--db", str(not_a_book), "contacts", "import", str(source)]
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2 and err == ""
    assert json.loads(out)["error"]["reason"]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
