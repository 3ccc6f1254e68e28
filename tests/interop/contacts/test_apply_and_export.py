"""Writing an import (backup, one transaction, all or nothing), the CLI, and exports."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from cmplanner.bus import Changes, bus, changes_of
from cmplanner.cli.contact_files import register
from cmplanner.errors import CMPlannerError, ExportFailed
from cmplanner.interop.contacts import export as contacts_export
from cmplanner.interop.contacts.bulk import ContactWriter
from cmplanner.interop.contacts.export import escape_cell, export_csv, export_vcard
from cmplanner.interop.contacts.items import ImportRefused
from cmplanner.interop.contacts.parse import parse_bytes, parse_file
from cmplanner.interop.contacts.plan import plan_import
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services.contact_data import ContactData
from cmplanner.services.contacts import get_contact
from cmplanner.storage import Database
from cmplanner.storage.backup import list_backups

FIXTURES = Path(__file__).parents[1] / "fixtures"


def counts(db: Database) -> tuple[int, ...]:
    with db.read() as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("contact", "contact_email", "contact_phone", "organization", "tag")
        )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--demo", action="store_true")
    register(parser.add_subparsers())
    args = parser.parse_args(["--db", str(db.path), *argv])
    db.close()  # the command opens the database itself (one writer at a time)
    return int(args.handler(args))


def test_import_writes_everything_with_a_backup_and_returns_its_changes(empty_db: Database) -> None:
    seen: list[Changes] = []

    def listener(changes: Changes) -> None:
        seen.append(changes)

    bus.subscribe(listener)
    steps: list[tuple[int, int]] = []
    items = parse_file(FIXTURES / "vcard30_accents.vcf").items
    report = apply_import(empty_db, items, progress=lambda done, total: steps.append((done, total)))
    assert len(report.created) == 5 and not report.skipped
    assert steps[0] == (0, 5) and steps[-1] == (5, 5)
    assert report.backup is not None and report.backup.exists()
    assert [b.reason for b in list_backups(empty_db.path)] == ["before-import"]
    assert report.changes.contacts == frozenset(report.created) and report.changes.tags
    assert changes_of(report) == report.changes  # what the job runner publishes
    assert seen == []  # an import never publishes
    benoit = get_contact(empty_db, report.created[0]).data
    assert (benoit.given_name, benoit.tags) == ("Benoît", ("Ambassadeurs", "bénévoles"))
    assert benoit.affiliations[0].organization == "Café Associatif"


def test_an_invalid_card_refuses_the_whole_file(empty_db: Database) -> None:
    before, file_before = counts(empty_db), digest(empty_db.path)
    items = parse_file(FIXTURES / "vcard_invalid_card.vcf").items
    with pytest.raises(ImportRefused, match=r"card 2, line 6: .*needs a name, an e-mail"):
        apply_import(empty_db, items)
    assert counts(empty_db) == before
    assert digest(empty_db.path) == file_before
    assert list_backups(empty_db.path) == []


def test_values_other_programs_wrote_are_kept_not_refused(empty_db: Database) -> None:
    """An American number without country code, an e-mail that is not one: kept, warned."""
    parsed = parse_file(FIXTURES / "vcard_foreign_values.vcf")
    (item,) = parsed.items
    assert item.valid and len(item.warnings) == 2
    report = apply_import(empty_db, parsed.items)
    card = get_contact(empty_db, report.created[0]).data
    assert [p.value for p in card.phones] == ["905-555-1234"]
    assert [e.value for e in card.emails] == ["john@example.com"]
    assert "john at example dot com" in card.notes


def test_skip_invalid_imports_the_rest_and_reports(empty_db: Database) -> None:
    items = parse_file(FIXTURES / "vcard_invalid_card.vcf").items
    report = apply_import(empty_db, items, skip_invalid=True)
    assert len(report.created) == 2
    assert report.skipped[0][0] == "card 2, line 6"
    assert "Imported 2 contacts" in report.summary() and "card 2, line 6" in report.summary()


def test_organizations_and_merges(empty_db: Database) -> None:
    items = parse_file(FIXTURES / "vcard40_kind_org.vcf").items
    report = apply_import(empty_db, items)
    assert len(report.organizations_created) == 2 and report.changes.organizations
    # The same file again: planned as merges into the same organizations.
    plans = plan_import(empty_db, items)
    assert [p.decision for p in plans] == [("merge", i) for i in report.organizations_created]
    apply_import(empty_db, items, [p.decision for p in plans])
    assert counts(empty_db)[3] == 2


def test_reimport_merges_on_same_email_and_keeps_uid_unique(empty_db: Database) -> None:
    items = parse_file(FIXTURES / "vcard30_accents.vcf").items
    first = apply_import(empty_db, items)
    plans = plan_import(empty_db, items)
    # The same card (UID) or the same e-mail with the same name: merged. Zoë has neither:
    # her phone and name only make her a likely duplicate, created and pointed out.
    assert [isinstance(p.decision, tuple) for p in plans] == [True, False, True, True, True]
    assert plans[0].matches[0].name == "Benoît Müller"
    assert [m.reason for m in plans[1].matches] == ["same phone number"]
    again = apply_import(empty_db, items, [p.decision for p in plans])
    merged = [i for n, i in enumerate(first.created) if n != 1]
    assert sorted(again.merged) == sorted(merged) and counts(empty_db)[0] == 6
    # Asked to create them anyway: new contacts, the UID not duplicated.
    apply_import(empty_db, items, ["create"] * len(items))
    assert counts(empty_db)[0] == 11


def test_cli_dry_run_writes_nothing(empty_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    path = empty_db.path
    before = digest(path)
    assert cli(empty_db, "import", str(FIXTURES / "google_current.csv"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "row 1, line 2: create Benoît Müller" in out and "Nothing was written" in out
    assert "Dry run (google): Imported 2 contacts, merged 0." in out
    assert digest(path) == before and list_backups(path) == []


def test_cli_import_json_and_merge_default(
    empty_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = empty_db.path
    assert cli(empty_db, "import", str(FIXTURES / "outlook_fr_bom.csv"), "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["format"] == "outlook" and len(first["created"]) == 1
    with Database.open(path) as db:
        assert cli(db, "import", str(FIXTURES / "outlook_en_utf8.csv")) == 0
    out = capsys.readouterr().out
    assert "Imported 0 contacts, merged 1" in out  # same e-mail: merged
    with Database.open(path) as db:  # refused: one line on stderr, exit code 2
        assert cli(db, "import", str(FIXTURES / "vcard_invalid_card.vcf")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "vcard_invalid_card.vcf:6: card 2: name:" in err


def test_cli_export_filters(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as con:
        tag, n = con.execute(
            "SELECT t.name, count(*) FROM tag t JOIN contact_tag ct ON ct.tag_id = t.id"
            " GROUP BY t.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    target = tmp_path / "tagged.vcf"
    assert cli(demo_db, "export", str(target), "--tag", tag) == 0
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == n


def round_trip(db: Database, target: Path, fmt: str, version: str = "4.0") -> list[ContactData]:
    items = (
        parse_file(FIXTURES / "vcard30_accents.vcf").items
        + parse_file(FIXTURES / "vcard_photo_base64.vcf").items
        + parse_file(FIXTURES / "vcard_apple_groups.vcf").items
    )
    report = apply_import(db, items)
    originals = [
        dataclasses.replace(
            get_contact(db, i).data,
            affiliations=tuple(
                dataclasses.replace(a, organization_id=None)
                for a in get_contact(db, i).data.affiliations
            ),
        )
        for i in report.created
    ]
    if fmt == "csv":
        export_csv(db, report.created, target)
    else:
        export_vcard(db, report.created, target, version)
    back = [i.data for i in parse_file(target).items]
    assert all(isinstance(c, ContactData) for c in back)
    return originals, back  # type: ignore[return-value]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_round_trip_loses_nothing(empty_db: Database, tmp_path: Path, version: str) -> None:
    originals, back = round_trip(empty_db, tmp_path / "out.vcf", "vcard", version)
    assert back == originals


def test_csv_round_trip_keeps_what_csv_carries(empty_db: Database, tmp_path: Path) -> None:
    originals, back = round_trip(empty_db, tmp_path / "out.csv", "csv")
    assert back == [
        ContactData(**{**vars(o), "photo": None})
        for o in originals  # no photo in CSV
    ]


def test_csv_cells_never_run_as_formulas(empty_db: Database, tmp_path: Path) -> None:
    data = (
        b"First Name,Last Name,Notes,Tags,Phone\n"
        b'=HYPERLINK("x"),@SUM(1),-2+3,\tx,+33 6 12 34 56 78\n'
    )
    report = apply_import(empty_db, parse_bytes(data).items)
    target = tmp_path / "out.csv"
    export_csv(empty_db, report.created, target, bom=True)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [c for c in rows[1] if c]
    assert all(c[0] not in "=+-@\t\r" for c in cells)
    assert '\'=HYPERLINK("x")' in cells and "'@SUM(1)" in cells and "'+33 6 12 34 56 78" in cells
    assert escape_cell("\rx") == "'\rx" and escape_cell("plain") == "plain"


def test_a_failed_export_leaves_the_target_intact(
    empty_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_import(empty_db, parse_file(FIXTURES / "vcard_bom.vcf").items)
    target = tmp_path / "out.vcf"
    target.write_bytes(b"previous content")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ExportFailed, match="The disk is full"):
        export_vcard(empty_db, None, target)
    assert target.read_bytes() == b"previous content"
    assert sorted(os.listdir(tmp_path)) == sorted(
        [
            "out.vcf",
            "empty.cmplanner",
            *[p for p in os.listdir(tmp_path) if p.startswith("empty.cmplanner")],
            "home",
        ]
    ) or not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_import_pauses_automatic_gc_while_it_allocates(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    enabled_during: list[bool] = []
    real_insert = ContactWriter.insert

    def spy(self: ContactWriter, cards: list[object]) -> list[int]:
        enabled_during.append(gc.isenabled())
        return real_insert(self, cards)  # type: ignore[arg-type]

    monkeypatch.setattr(ContactWriter, "insert", spy)
    assert gc.isenabled()
    items = parse_file(FIXTURES / "vcard30_accents.vcf").items
    assert gc.isenabled()
    apply_import(empty_db, items)
    assert enabled_during and not any(enabled_during) and gc.isenabled()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_export_is_a_normal_file_and_a_replaced_one_keeps_its_mode(
    empty_db: Database, tmp_path: Path
) -> None:
    apply_import(empty_db, parse_file(FIXTURES / "vcard_bom.vcf").items)
    previous = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.vcf"
        export_vcard(empty_db, None, fresh)
        # What open(path, "w") would give (0666 less the umask), not mkstemp's private 0600.
        assert fresh.stat().st_mode & 0o777 == 0o640
        os.umask(0o022)
        export_csv(empty_db, None, tmp_path / "fresh.csv")
        assert (tmp_path / "fresh.csv").stat().st_mode & 0o777 == 0o644
        # A file the user made private stays private; one shared wider stays shared.
        for mode in (0o600, 0o664):
            kept = tmp_path / f"kept-{mode:o}.vcf"
            kept.write_bytes(b"old")
            kept.chmod(mode)
            export_vcard(empty_db, None, kept)
            assert kept.read_bytes() != b"old"
            assert kept.stat().st_mode & 0o777 == mode
    finally:
        os.umask(previous)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_organizations_go_out_as_organization_cards_and_come_back(
    demo_db: Database, empty_db: Database, tmp_path: Path, version: str
) -> None:
    from cmplanner.services.organizations import get_organization

    def book(db: Database) -> dict[str, tuple[object, ...]]:
        """Each organization by name: its fields but the uid, and who works there."""
        out = {}
        with db.read() as con:
            ids = [r[0] for r in con.execute("SELECT id FROM organization")]
        for org_id in ids:
            details = get_organization(db, org_id)
            fields = dataclasses.replace(details.data, uid=None)
            out[details.data.name] = (fields, sorted((p.name, p.role) for p in details.people))
        return out

    organizations = contacts_export.organization_ids(demo_db, None)
    assert len(organizations) == len(book(demo_db)) > 5
    target = tmp_path / f"book-{version}.vcf"
    export_vcard(demo_db, None, target, version, organizations)
    text = target.read_text(encoding="utf-8")
    mark = "KIND:org" if version == "4.0" else "X-ABSHOWAS:COMPANY"
    assert text.count(mark) == len(organizations)
    items = parse_file(target).items
    kinds = [type(i.data).__name__ for i in items]  # organizations first, then people
    assert kinds == ["OrganizationData"] * len(organizations) + ["ContactData"] * (
        len(items) - len(organizations)
    )
    report = apply_import(empty_db, items)
    assert len(report.organizations_created) == len(organizations)
    # Kinds (sponsor, media…), e-mails, phones, addresses, web sites, notes and the people
    # working there: all back, and no organization created twice from the people's ORG.
    assert book(empty_db) == book(demo_db)


def test_organizations_of_some_contacts_and_the_cli_flag(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as con:
        person, org = con.execute(
            "SELECT a.contact_id, o.name FROM affiliation a JOIN organization o"
            " ON o.id = a.organization_id ORDER BY a.contact_id LIMIT 1"
        ).fetchone()
    assert contacts_export.organization_ids(demo_db, [person])
    assert contacts_export.organization_ids(demo_db, []) == []
    target = tmp_path / "one.vcf"
    assert cli(demo_db, "export", str(target), "--ids", str(person), "--organizations") == 0
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2 and f"FN:{org}" in text
    with pytest.raises(CMPlannerError, match="vCard file only"):
        cli(Database.open(demo_db.path), "export", str(tmp_path / "x.csv"), "--organizations")
    assert not (tmp_path / "x.csv").exists()


def test_two_cards_of_one_file_for_the_same_person_are_pointed_out(
    empty_db: Database, tmp_path: Path
) -> None:
    from cmplanner.interop.contacts.plan import plan_import

    path = tmp_path / "twice.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Léa Martin\r\nN:Martin;Léa;;;\r\n"
        "EMAIL:lea@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Girard\r\nN:Girard;Paul;;;\r\n"
        "TEL:+33 6 12 34 56 78\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:L. Martin\r\nN:Martin;L.;;;\r\n"
        "EMAIL:LEA@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P. Girard\r\nN:Girard;P.;;;\r\n"
        "TEL:06 12 34 56 78\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Girard\r\nN:GIRARD;paul;;;\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    items = parse_file(path).items
    plans = plan_import(empty_db, items)
    plan_import(empty_db, items)  # planned twice (the wizard may): said once
    said = [[w for w in p.item.warnings if "of this file" in w] for p in plans]
    assert said == [
        [],
        [],
        ["Looks like card 1, line 1 of this file (same e-mail)"],
        ["Looks like card 2, line 7 of this file (same phone number)"],
        ["Looks like card 2, line 7 of this file (same name)"],
    ]
    # Both are imported (the person decides), the warnings are in the report.
    report = apply_import(empty_db, items)
    assert len(report.created) == 5
    assert sum("of this file" in w for _where, w in report.warnings) == 3


def test_an_organization_card_of_another_program_or_an_unknown_kind_is_an_other(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orgs.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Radio Canut\r\nORG:Radio Canut\r\n"
        "X-ADDRESSBOOKSERVER-KIND:org\r\nX-CMPLANNER-KIND:pirate-radio\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Le Sucre\r\nX-CMPLANNER-KIND:VENUE\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    radio, sucre = (item.data for item in parse_file(path).items)
    assert (radio.name, radio.kind) == ("Radio Canut", "other")  # type: ignore[union-attr]
    assert (sucre.name, sucre.kind) == ("Le Sucre", "venue")  # type: ignore[union-attr]
