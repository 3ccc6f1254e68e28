"""What a contacts file holds once read, shared by its readers (vcard, csv_files) and the
import steps: its text, the `ImportItem`s, the `ImportRefused` error."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from cmplanner.errors import ValidationError
from cmplanner.i18n import N_, _, labelled
from cmplanner.interop import without_controls
from cmplanner.services.contact_data import ContactData, FieldProblem, OrganizationData


class ImportRefused(ValidationError):
    """The file cannot be imported as it is; the message says where and why.

    `line` is the file's line at fault when there is one, `reason` the message on one line
    (the CLI prints "FILE:LINE: reason"); `path` is filled in by `parse_file`."""

    def __init__(self, message: str, line: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason if reason is not None else " ".join(message.split())
        self.path: str | None = None

    def one_line(self) -> str:
        """ "contacts.vcf:12: reason" (the file and line when known)."""
        place = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        return labelled(place, self.reason) if place else self.reason

    def as_json(self) -> dict[str, Any]:
        return {"file": self.path, "line": self.line, "reason": self.reason}


@dataclass
class ImportItem:
    """One card or row of the file, parsed and checked, not yet written."""

    number: int  # 1-based card or row number
    line: int  # the line of the file where it starts
    data: ContactData | OrganizationData | None  # None when it could not be read at all
    warnings: list[str] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    unit: Literal["card", "row"] = "card"

    @property
    def valid(self) -> bool:
        return self.data is not None and not self.problems

    @property
    def is_organization(self) -> bool:
        return isinstance(self.data, OrganizationData)

    @property
    def name(self) -> str:
        if isinstance(self.data, OrganizationData):
            return self.data.name
        return self.data.display_name if self.data else ""

    def entry(self) -> str:
        """ "card 3", "row 12": which entry, for a message that gives its line apart."""
        if self.unit == "row":
            return _("row {number}").format(number=self.number)
        return _("card {number}").format(number=self.number)

    def where(self) -> str:
        if self.unit == "row":
            return _("row {number}, line {line}").format(number=self.number, line=self.line)
        return _("card {number}, line {line}").format(number=self.number, line=self.line)

    def problem_text(self) -> str:
        return "; ".join(labelled(field_label(p.field), p.message) for p in self.problems)


@dataclass(frozen=True)
class ParsedFile:
    format: str  # the format read: vcard | google | outlook | csv
    items: list[ImportItem]
    columns: tuple[str, ...] = ()  # a CSV's headers
    mapping: dict[int, str] = field(default_factory=dict)  # a CSV's column → field
    ignored_columns: tuple[str, ...] = ()


_FIELD_LABELS = {
    "given_name": N_("name"),
    "family_name": N_("last name"),
    "nickname": N_("nickname"),
    "emails": N_("e-mail"),
    "email": N_("e-mail"),
    "phones": N_("phone"),
    "phone": N_("phone"),
    "name": N_("name"),
    "cadence_days": N_("cadence"),
    "card": N_("card"),
    "row": N_("row"),
    "kind": N_("kind"),
    "notes": N_("notes"),
}


def field_label(name: str) -> str:
    """ "emails[1]" → "e-mail 2", for a person reading an error."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    base = m.group(1) if m else name
    label = _(_FIELD_LABELS[base]) if base in _FIELD_LABELS else base
    return f"{label} {int(m.group(2)) + 1}" if m else label


# --- reading bytes ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of a contacts file: BOM removed, UTF-8/UTF-16 or else Windows-1252; refuses
    empty and binary files."""
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ImportRefused(_("The file is not readable text.")) from exc
    if b"\x00" in data:
        raise ImportRefused(_("This is a binary file, not contacts (vCard or CSV)."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return _check_text(text)


def _check_text(text: str) -> str:
    sample = text[:20000]
    control = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\r\n\f"
    )
    if control > max(2, len(sample) // 200):
        raise ImportRefused(_("This is a binary file, not contacts (vCard or CSV)."))
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    return without_controls(text)
