"""Reading a contacts file into items; never writes.

``parse_bytes(data, format="auto", region=…)`` (or ``parse_file(path, …)``) reads vCard
2.1/3.0/4.0, Google CSV, Outlook CSV or any CSV (``mapping=`` overrides the guessed column
mapping of a generic CSV) into a `ParsedFile`. A file that is not contacts at all (binary,
random text, empty) raises `ImportRefused`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from cmplanner.i18n import _
from cmplanner.interop.contacts import csv_files, vcard
from cmplanner.interop.contacts.items import ImportRefused, ParsedFile, decode_text
from cmplanner.memory import bulk_allocation

FORMATS = ("auto", "vcard", "google", "outlook", "csv")
Format = Literal["auto", "vcard", "google", "outlook", "csv"]


def detect_format(text: str) -> str:
    """vcard | google | outlook | csv, from the content; refuses what is none of them."""
    # Line by line, as the cards are read (a regular expression over the text took
    # quadratic time on a file of blank lines: 30 s for 100 kB).
    if any(map(vcard.is_card_start, vcard.unix_lines(text[:100000]).split("\n"))):
        return "vcard"
    kind = csv_files.detect_kind(text)
    if kind is None:
        raise ImportRefused(
            _("This file is neither a vCard nor a CSV file with recognisable contact columns.")
        )
    return kind


def parse_bytes(
    data: bytes,
    format: str = "auto",
    region: str = "FR",
    mapping: Mapping[int, str] | None = None,
) -> ParsedFile:
    """Read a contacts file into items (nothing is written)."""
    _check_format(format)
    return _parse_text(decode_text(data), format, region, mapping)


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ImportRefused(_("Unknown import format “{format}”.").format(format=format))


def _parse_text(
    text: str, format: str, region: str, mapping: Mapping[int, str] | None
) -> ParsedFile:
    kind = detect_format(text) if format == "auto" else format
    with bulk_allocation():
        if kind == "vcard":
            parsed = ParsedFile("vcard", vcard.parse_vcards(text, region))
        else:
            parsed = csv_files.parse_csv_text(text, kind, region, mapping)
    for item in parsed.items:  # a value quoted with its line breaks (a CSV cell): one line
        item.warnings = [_one_line(w) for w in item.warnings]
        item.problems = [
            dataclasses.replace(p, message=_one_line(p.message)) for p in item.problems
        ]
    return parsed


def _one_line(message: str) -> str:
    return " ".join(message.split()) if "\n" in message or "\r" in message else message


def parse_file(
    path: Path | str,
    format: str = "auto",
    region: str = "FR",
    mapping: Mapping[int, str] | None = None,
) -> ParsedFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            why = _("there is no such file")
        elif isinstance(exc, IsADirectoryError):
            why = _("this is a folder, not a file")
        elif isinstance(exc, PermissionError):
            why = _("you are not allowed to read this file")
        else:
            why = str(exc.strerror or exc)
        refused = ImportRefused(
            _("Cannot read {path}: {error}").format(path=path, error=why),
            reason=_("cannot read the file: {error}").format(error=why),
        )
        refused.path = str(path)
        raise refused from exc
    try:
        _check_format(format)
        text = decode_text(data)
        del data  # freed once decoded: a big file is not held twice
        return _parse_text(text, format, region, mapping)
    except ImportRefused as exc:
        exc.path = str(path)
        raise
