"""What a contacts file may hold, and what it costs to read (issue 14): a photo is stored at
most 512 pixels on its longest side; one that is no picture, or too large to read, is left
out with a warning naming its line; a note over 100,000 characters refuses its card, named
by its line; memory stays bounded by the file's size, not by its longest line."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from cmplanner.cli.main import main
from cmplanner.interop.contacts.items import ImportRefused
from cmplanner.interop.contacts.parse import parse_bytes
from cmplanner.interop.contacts.write import apply_import
from cmplanner.interop.photo import PHOTO_MAX_SIDE, READ_MAX_BYTES, stored_photo
from cmplanner.services.contact_data import ContactData
from cmplanner.services.validation import NOTE_MAX_CHARS
from cmplanner.storage import Database

ROOT = Path(__file__).resolve().parents[3]


def picture(size: tuple[int, int], fmt: str = "JPEG", mode: str = "RGB", **save: object) -> bytes:
    """A picture of noise (it does not compress away) of `size` pixels."""
    image = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def card(name: str, *lines: str) -> str:
    body = "\r\n".join(("BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{name};;;;", *lines))
    return body + "\r\nEND:VCARD\r\n"


def photo_line(data: bytes, kind: str = "JPEG") -> str:
    """A 3.0 PHOTO property folded as the writers do (a space before each continuation)."""
    encoded = base64.b64encode(data).decode()
    folded = "\r\n ".join(encoded[n : n + 74] for n in range(0, len(encoded), 74))
    return f"PHOTO;ENCODING=b;TYPE={kind}:" + folded


def only_person(text: str) -> tuple[ContactData, list[str]]:
    (item,) = parse_bytes(text.encode()).items
    assert item.valid, item.problem_text()
    assert isinstance(item.data, ContactData)
    return item.data, item.warnings


def test_a_large_photo_is_stored_as_a_512_pixel_jpeg() -> None:
    big = picture((1600, 1200), quality=95)
    person, warnings = only_person(card("Ana", photo_line(big)))
    assert person.photo is not None and not warnings
    stored = Image.open(io.BytesIO(person.photo))
    assert stored.format == "JPEG" and stored.size == (PHOTO_MAX_SIDE, 384)
    assert len(person.photo) < len(big) // 4


def test_a_transparent_png_and_a_webp_become_jpegs_on_white() -> None:
    logo = Image.new("RGBA", (900, 300), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (0, 0, 300, 300))
    out = io.BytesIO()
    logo.save(out, "PNG")
    person, _warnings = only_person(card("Ana", photo_line(out.getvalue(), "PNG")))
    assert person.photo is not None
    stored = Image.open(io.BytesIO(person.photo)).convert("RGB")
    assert stored.size == (512, 171)
    assert stored.getpixel((500, 80)) == (255, 255, 255)  # transparent → white, not black
    assert stored.getpixel((50, 80))[0] > 150
    webp = stored_photo(picture((700, 700), "WEBP"))
    assert webp.data is not None and Image.open(io.BytesIO(webp.data)).format == "JPEG"


def test_a_phone_photo_held_upright_stays_upright() -> None:
    """The camera writes the picture sideways and says how it was held (EXIF orientation)."""
    image = Image.new("RGB", (1200, 800), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    stored = stored_photo(out.getvalue())
    assert stored.data is not None
    assert Image.open(io.BytesIO(stored.data)).size == (341, 512)


def test_a_small_photo_is_kept_byte_for_byte() -> None:
    small = picture((200, 150), "PNG")
    person, warnings = only_person(card("Ana", photo_line(small, "PNG")))
    assert person.photo == small and not warnings


def test_a_photo_that_is_no_picture_is_left_out_with_its_line() -> None:
    text = card("Ana", "EMAIL:ana@exemple.fr", photo_line(b"\xff\xd8\xff" + os.urandom(3000)))
    person, warnings = only_person(text)
    assert person.photo is None and person.emails[0].value == "ana@exemple.fr"
    assert warnings == [
        "The photo (line 6) was not imported: the photo is not a picture CM Planner can read."
    ]


def test_a_photo_over_the_limit_is_not_even_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(data: bytes) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr("cmplanner.interop.contacts.vcard.stored_photo", never)
    payload = "A" * (READ_MAX_BYTES * 4 // 3 + 8)
    person, warnings = only_person(card("Ana", "PHOTO;ENCODING=b;TYPE=JPEG:" + payload))
    assert person.photo is None
    (warning,) = warnings
    assert warning.startswith("The photo (line 5) was not imported: the photo is 20 MB;")
    assert warning.endswith("a photo over 20 MB is not read.")


def test_a_picture_of_too_many_pixels_is_not_decoded() -> None:
    """A PNG of 6,000 × 6,000 flat pixels is small on disk and 144 MB once decoded."""
    out = io.BytesIO()
    Image.new("L", (6000, 6000)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    stored = stored_photo(out.getvalue())
    assert stored.data is None
    assert stored.problem == ("the photo is 6000 × 6000 pixels; one over 25 megapixels is not read")


def test_a_note_over_the_limit_refuses_its_card_with_its_line(empty_db: Database) -> None:
    long_note = "x" * (NOTE_MAX_CHARS + 1)
    text = card("Ana", "EMAIL:ana@exemple.fr") + card("Bob", f"NOTE:{long_note}")
    first, second = parse_bytes(text.encode()).items
    assert first.valid and not second.valid
    assert second.where() == "card 2, line 7"
    assert second.problem_text() == "notes: The note is longer than 100,000 characters."
    with pytest.raises(ImportRefused) as refused:
        apply_import(empty_db, [first, second])
    assert refused.value.line == 7
    with empty_db.read() as con:
        assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 0
    report = apply_import(empty_db, [first, second], skip_invalid=True)
    assert len(report.created) == 1 and report.skipped[0][0] == "card 2, line 7"


def test_a_note_at_the_limit_is_kept_whole() -> None:
    note = "é" * NOTE_MAX_CHARS
    person, _warnings = only_person(card("Ana", f"NOTE:{note}"))
    assert person.notes == note


def test_a_note_pushed_over_the_limit_by_a_moved_e_mail_refuses_its_card() -> None:
    """An e-mail that is not one moves to the notes: the note with it is what is checked (it
    was stored at 100,027 characters)."""
    note = "n" * (NOTE_MAX_CHARS - 5)
    (item,) = parse_bytes(card("Ana", "EMAIL:ana at exemple", f"NOTE:{note}").encode()).items
    assert not item.valid
    assert item.problem_text() == "notes: The note is longer than 100,000 characters."
    (kept,) = parse_bytes(card("Ana", "EMAIL:ana at exemple", "NOTE:court").encode()).items
    assert kept.valid and isinstance(kept.data, ContactData)
    assert kept.data.notes == "court\nE-mail as written: ana at exemple"


def test_a_huge_note_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line longer than any field is never handed to vobject (whose parser holds some 150
    bytes per character of a line)."""
    import vobject

    longest = 0
    read = vobject.readComponents

    def measured(text: str, *args: object, **kwargs: object) -> object:
        nonlocal longest
        longest = max(longest, *(len(line) for line in text.split("\r\n")))
        return read(text, *args, **kwargs)

    monkeypatch.setattr(vobject, "readComponents", measured)
    (item,) = parse_bytes(card("Ana", "NOTE:" + "y" * 3_000_000).encode()).items
    assert not item.valid and item.problem_text().startswith("notes: The note is longer")
    assert 0 < longest <= 2 * NOTE_MAX_CHARS


def test_an_overlong_line_is_refused_or_dropped_with_its_line() -> None:
    ours = card("Ana", "TITLE:" + "t" * 300_000)
    (item,) = parse_bytes(ours.encode()).items
    assert item.problem_text() == (
        "card: The TITLE line (line 5) has 300,006 characters, over 200,000"
    )
    theirs = card("Ana", "EMAIL:ana@exemple.fr", "X-CUSTOM:" + "t" * 300_000)
    person, warnings = only_person(theirs)
    assert person.emails[0].value == "ana@exemple.fr"
    assert warnings == [
        "The X-CUSTOM line (line 6) has 300,009 characters, over 200,000; it was not imported."
    ]


def test_a_quoted_printable_note_over_the_limit_is_refused_quickly() -> None:
    """vCard 2.1 soft line breaks are joined in one pass (not line by line)."""
    encoded = "=41" * 25 + "=\r\n"
    text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ana;;;;\r\nNOTE;ENCODING=QUOTED-PRINTABLE:"
    text += encoded * 20_000 + "fin\r\nEND:VCARD\r\n"
    (item,) = parse_bytes(text.encode()).items
    assert item.problem_text() == "notes: The note is longer than 100,000 characters."


def test_a_csv_note_over_the_limit_refuses_its_row() -> None:
    text = "First Name,E-mail,Notes\nAnne,anne@x.fr,court\nPaul,paul@x.fr," + "n" * 100_001
    anne, paul = parse_bytes(text.encode()).items
    assert anne.valid and not paul.valid
    assert (paul.where(), paul.problem_text()) == (
        "row 2, line 3",
        "notes: The note is longer than 100,000 characters.",
    )


def test_a_csv_cell_over_what_csv_reads_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    text = "First Name,Notes\nAnne,court\nPaul," + "n" * 200_000 + "\n"
    with pytest.raises(ImportRefused) as refused:
        parse_bytes(text.encode())
    assert refused.value.line == 3
    assert refused.value.reason == (
        "The CSV file cannot be read at line 3: a cell is longer than 131,072 characters."
    )


def test_the_cli_says_which_card_and_line(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(card("Ana") + card("Bob", "NOTE:" + "x" * 250_000), encoding="utf-8")
    db = str(empty_db.path)
    empty_db.close()
    before = Path(db).read_bytes()
    assert main(["--db", db, "contacts", "import", str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"cmplanner: {path}:6: card 2: notes: The note is longer than")
    assert Path(db).read_bytes() == before


def _peak_megabytes(*argv: str, home: Path) -> float:
    """The peak resident memory of `cmplanner ARGV`, in its own process: the kernel's
    high-water mark of the process's memory (ru_maxrss would carry over the parent's)."""
    code = (
        "import sys\n"
        "from cmplanner.cli.main import main\n"
        "main(sys.argv[1:])\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "print('PEAK', status.split()[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "CMPLANNER_HOME": str(home)},
    )  # fmt: skip
    peak = [line for line in result.stdout.splitlines() if line.startswith("PEAK")]
    assert peak, result.stdout + result.stderr
    return int(peak[0].split()[1]) / 1024  # kB


@pytest.fixture(scope="module")
def floor_megabytes(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The peak memory of importing one small card: the program itself."""
    folder = tmp_path_factory.mktemp("floor")
    small = folder / "small.vcf"
    small.write_text(card("Ana", "EMAIL:ana@exemple.fr"), encoding="utf-8")
    return _peak_megabytes(
        "--db", str(folder / "a.cmplanner"), "contacts", "import", str(small), home=folder
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("what", ["photo", "noise", "note"])
def test_memory_grows_with_the_file_not_with_its_longest_line(
    tmp_path: Path, floor_megabytes: float, what: str
) -> None:
    """A 5 MB photo took 1 GB to import, a 5 MB note as much (vobject's line parser): now a
    few times the file, like any file of that size."""
    payload = {
        # a camera's photo (4.7 MB, 5.2 megapixels): decoded, scaled to 512 pixels, stored
        "photo": lambda: photo_line(picture((2600, 2000), quality=90)),
        # 5 MB that are no picture: read, left out with a warning
        "noise": lambda: photo_line(os.urandom(5_000_000)),
        "note": lambda: "NOTE:" + "lorem ipsum " * (5_000_000 // 12),
    }[what]()
    big = tmp_path / "big.vcf"
    big.write_text(card("Ana", "EMAIL:ana@exemple.fr", payload), encoding="utf-8")
    floor = floor_megabytes
    peak = _peak_megabytes(
        "--db", str(tmp_path / "b.cmplanner"), "contacts", "import", str(big), home=tmp_path
    )
    file_mb = big.stat().st_size / 1e6
    assert peak - floor < 20 * file_mb, (floor, peak, file_mb)


# --- time: a hostile layout is read in time that grows with the file, not with its square ---


def _seconds(data: bytes) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        outcome = f"{len(parse_bytes(data).items)} items"
    except ImportRefused as exc:
        outcome = exc.reason
    return time.perf_counter() - start, outcome


def test_a_file_of_blank_lines_is_refused_at_once() -> None:
    """Finding BEGIN:VCARD took 30 s on 100 kB of lines of spaces (a regular expression
    whose `^\\s*` ran over every following line, from every line)."""
    seconds, outcome = _seconds(b"X\r\n" + b"  \r\n" * 25_000)
    assert outcome.startswith("This file is neither a vCard nor a CSV file")
    assert seconds < 5, seconds  # 0.1 s here


def test_a_run_of_carriage_returns_is_read_at_once() -> None:
    """CR runs were shortened one CR a pass over the whole file: a card holding a million
    CRs took hours."""
    data = (
        card("Ana", "EMAIL:ana@exemple.fr")
        .encode()
        .replace(b"EMAIL", b"\r" * 1_000_000 + b"\nEMAIL")
    )
    seconds, outcome = _seconds(data)
    assert outcome == "1 items"
    assert seconds < 5, seconds  # 0.1 s here


def test_the_csv_delimiter_is_told_from_the_first_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sniffer takes some 20 µs a character: it was given 64 kB (1.3 s for short lines)."""
    import csv

    samples: list[str] = []
    sniff = csv.Sniffer.sniff

    def measured(self: csv.Sniffer, sample: str, delimiters: str | None = None) -> object:
        samples.append(sample)
        return sniff(self, sample, delimiters)

    monkeypatch.setattr(csv.Sniffer, "sniff", measured)
    rows = "".join(f"P{n};p{n}@x.fr;court\r\n" for n in range(3_000))
    (first, *_rest) = parse_bytes(("Prénom;E-mail;Notes\r\n" + rows).encode()).items
    assert isinstance(first.data, ContactData) and first.data.emails[0].value == "p0@x.fr"
    assert samples and max(s.count("\n") for s in samples) < 50


def test_a_run_of_commas_in_quotes_is_read_at_once() -> None:
    """The CSV sniffer's quote detection takes the square of such a run: 30 s for 60 kB."""
    cell = '"' + "," * 60_000 + '"'  # closed within the 64 kB the sniffer was given
    data = f"First Name,Notes,Nickname\r\nAnne,{cell},A\r\nPaul,court,P\r\n".encode()
    seconds, outcome = _seconds(data)
    assert outcome == "2 items"
    assert seconds < 5, seconds  # 0.2 s here


# --- control characters: never quoted to the terminal ---------------------------------------


def test_control_characters_in_a_card_become_spaces(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An escape sequence in a card went into the contact and, quoted in a warning, to the
    terminal (which it can recolour, clear or retitle)."""
    path = tmp_path / "book.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Rouge;Ana;;;\r\nEMAIL:ana@exemple.fr\r\n"
        b"NOTE:un\x0bdeux\ttrois\r\nANNIVERSARY:le 3\x1b[2J\r\nEND:VCARD\r\n"
    )
    (item,) = parse_bytes(path.read_bytes()).items
    assert isinstance(item.data, ContactData)
    assert item.data.notes.startswith("un deux\ttrois\n")  # a tab is kept
    db = str(empty_db.path)
    empty_db.close()
    assert main(["--db", db, "contacts", "import", str(path)]) == 0
    said = capsys.readouterr()
    assert "Anniversary “le 3 [2J” is not a date" in said.out + said.err  # quoted, harmless
    assert "\x1b" not in said.out + said.err


def test_control_characters_in_a_calendar_become_spaces(tmp_path: Path) -> None:
    from cmplanner.interop.ics.replies import read_answers

    reply = (ROOT / "tests/interop/fixtures/ics/import/reply_unknown_uid.ics").read_bytes()
    path = tmp_path / "reply.ics"
    path.write_bytes(reply.replace(b"UID:", b"UID:\x1b[2J", 1))
    (answer,), problems = read_answers(path)
    assert answer.uid == "[2Jnobody@tests.example" and not problems


def test_a_value_quoted_with_its_line_breaks_is_said_on_one_line() -> None:
    """A CSV cell may hold line breaks: quoted in a warning, it broke the warning's line."""
    (item,) = parse_bytes(b'E-mail Address,First Name\r\n"ana\r\nexemple.fr",Ana\r\n').items
    assert item.warnings == [
        "“ana exemple.fr” is not a valid e-mail address: An email address must have an"
        " @-sign. It was kept in the notes."
    ]
    assert isinstance(item.data, ContactData)
    assert item.data.notes == "E-mail as written: ana\r\nexemple.fr"  # the value as it was


def test_a_refusal_is_one_sentence_without_a_stop_before_its_semicolon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A problem ending with a full stop gave "….; the file was not imported"."""
    card = tmp_path / "long.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anne\r\nNOTE:" + "x" * 100_001 + "\r\nEND:VCARD\r\n"
    )
    assert main(["--db", str(tmp_path / "book.cmplanner"), "contacts", "import", str(card)]) == 2
    err = capsys.readouterr().err
    assert "the file was not imported" in err and ".;" not in err, err
