"""vCard 2.1, 3.0 and 4.0 into `ImportItem`s, through vobject.

vobject reads vCard 3.0; what real exports add to it is normalised first: line endings
(LF only, CR CR LF from old iPhones), vCard 2.1 quoted-printable with its charset and soft
line breaks, bare 2.1 types (``TEL;CELL``). Apple's grouped labels (``item1.X-ABLabel``),
photos (base64 or data URI), ``KIND:org`` and ``X-ABShowAs:COMPANY`` are read from the
parsed card. Each card is parsed on its own, so one broken card is reported with its number
and line while the others are read.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cmplanner.formats import count, megabytes
from cmplanner.i18n import N_, _
from cmplanner.interop.contacts.items import ImportItem, ImportRefused
from cmplanner.interop.photo import READ_MAX_BYTES, StoredPhoto, stored_photo
from cmplanner.model.enums import OrganizationKind
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    ContactData,
    FieldProblem,
    Labelled,
    OrganizationData,
)
from cmplanner.services.partial_dates import APPLE_OMIT_YEAR, date_or_note
from cmplanner.services.validation import (
    NOTE_MAX_CHARS,
    card_region,
    check_imported,
    formatted_override,
    normalize_email,
    normalize_phone,
    note_too_long,
)

log = logging.getLogger(__name__)

# vCard TYPE values → our labels, in the order a combined label is written ("work fax").
TYPE_LABELS = {
    "work": "work",
    "home": "home",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "fax": "fax",
    "pager": "pager",
    "other": "other",
    "main": "main",
}
LABEL_TYPES = {"work": "work", "home": "home", "mobile": "cell", "fax": "fax", "pager": "pager"}
# Apple's built-in labels, written _$!<Work>!$_ in X-ABLabel.
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_APPLE_LABELS = {
    "work": "work",
    "home": "home",
    "mobile": "mobile",
    "iphone": "mobile",
    "other": "other",
    "main": "main",
    "homefax": "home fax",
    "workfax": "work fax",
    "pager": "pager",
}
# Android's and Google's own groups, not tags a person chose.
SYSTEM_CATEGORIES = {"my contacts", "starred in android", "mycontacts", "starred"}
# Worth a warning when dropped; the rest (PRODID, REV, X-…) is bookkeeping.
_NOT_IMPORTED = {
    "URL": N_("web site"),
    "IMPP": N_("instant messaging"),
    "X-AIM": N_("instant messaging"),
    "X-SKYPE": N_("instant messaging"),
    "RELATED": N_("related people"),
    "X-ABRELATEDNAMES": N_("related people"),
    "GEO": N_("position"),
}
_IMPORTED = {
    "N",
    "FN",
    "NICKNAME",
    "EMAIL",
    "TEL",
    "ADR",
    "ORG",
    "TITLE",
    "ROLE",
    "CATEGORIES",
    "NOTE",
    "UID",
    "KIND",
}
# Where vCard 3.0 writers put a wedding anniversary (4.0 has ANNIVERSARY); Apple's grouped
# X-ABDATE is one when its X-ABLabel says so.
_ANNIVERSARY_PROPERTIES = {"ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
# The organization's kind (sponsor, media…) as CM Planner writes it on an organization card.
ORGANIZATION_KIND_PROPERTY = "X-CMPLANNER-KIND"
# How vCard 3.0 writers mark an organization's card (Apple's contacts and CardDAV server).
_ORGANIZATION_MARKS = {("X-ABSHOWAS", "company"), ("X-ADDRESSBOOKSERVER-KIND", "org")}
_DATA_URI = re.compile(r"^((?:[\w-]+\.)?(?:PHOTO|LOGO)(?:;[^:]*)?):data:", re.IGNORECASE)
_STRUCTURED = {"N", "ADR", "ORG", "GENDER"}
# vobject's parser holds some 150 bytes per character of the line it reads: no line it is
# given is longer than this (the longest field is a note, with at most one escape a character).
_LINE_MAX = 2 * NOTE_MAX_CHARS
_whitespace = re.compile(r"\s+")
_CR_RUN = re.compile("\r+")
_EDGE_STARTS = frozenset("bBeE")
_LABEL_ORDER = {label: n for n, label in enumerate(dict.fromkeys(TYPE_LABELS.values()))}


def parse_vcards(text: str, region: str = "FR") -> list[ImportItem]:
    """Every card of the file, in order; refuses a file with no card at all."""
    items = [
        _item(number, line, lines, closed, region)
        for number, (line, lines, closed) in enumerate(_cards(text), start=1)
    ]
    if not items:
        raise ImportRefused(_("There is no vCard in this file (no BEGIN:VCARD line)."))
    return items


def unix_lines(text: str) -> str:
    r"""Every line break (CR LF, LF, CR, runs of CR before LF) as one LF, like the regular
    expression ``\r*\n|\r+`` would — but in short steps: a regular expression over a whole
    file holds the interpreter for a tenth of a second, and the window with it. Linear in
    the file, whatever it holds (replacing "\r\r\n" until none is left took a minute
    for a run of 100,000 CRs)."""
    text = text.replace("\r\n", "\n")  # CR LF files: nothing else to do
    if "\r" not in text:
        return text
    pieces = text.split("\n")
    last = len(pieces) - 1
    for n, piece in enumerate(pieces):
        if "\r" in piece:
            if n < last:  # the CRs before a LF are part of its line break
                piece = piece.rstrip("\r")
            pieces[n] = _CR_RUN.sub("\n", piece)  # a run of CRs alone: one line break
    return "\n".join(pieces)


def is_card_start(line: str) -> bool:
    """Whether the line is BEGIN:VCARD (any case, any spaces), as `_cards` reads it."""
    return line.lstrip()[:1] in _EDGE_STARTS and _key(line) == "BEGIN:VCARD"


def _key(line: str) -> str:
    return _whitespace.sub("", line).upper()


def _cards(text: str) -> Iterator[tuple[int, list[str], bool]]:
    """(first line number, lines, properly closed) for each top-level card."""
    lines = _lines(unix_lines(text))
    depth = 0
    start = 0
    current: list[str] = []
    for n, line in enumerate(lines, start=1):
        # Only a line starting with b or e can be BEGIN:VCARD or END:VCARD (no other
        # character upper-cases to B or E; a test checks): the others need no key.
        key = _key(line) if line.lstrip()[:1] in _EDGE_STARTS else ""
        if key == "BEGIN:VCARD":
            if depth == 0:
                start, current = n, []
            depth += 1
        if depth:
            current.append(line)
        if key == "END:VCARD" and depth:
            depth -= 1
            if depth == 0:
                yield start, current, True
    if depth:
        yield start, current, False


def _lines(text: str) -> Iterator[str]:
    """`text.split("\n")`, one line at a time: a big file's lines are never all in memory."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def logical_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each property of the card on one line, with the index of its first line: folded lines
    joined, quoted-printable decoded (soft line breaks joined), a 4.0 data URI made 3.0,
    blank lines dropped."""
    n = 0
    while n < len(lines):
        first = n
        line = lines[n]
        n += 1
        if not line.strip():
            continue
        parts = [line]
        if _is_quoted_printable(line):
            while parts[-1].endswith("=") and n < len(lines):  # a soft line break
                parts[-1] = parts[-1][:-1]
                parts.append(lines[n])
                n += 1
            yield first, _decode_qp_line("".join(parts))
            continue
        while n < len(lines) and lines[n][:1] in (" ", "\t"):
            parts.append(lines[n][1:])
            n += 1
        line = "".join(parts) if len(parts) > 1 else line
        yield first, _data_uri_line(line) if _DATA_URI.match(line) else line


def _is_quoted_printable(line: str) -> bool:
    head, colon, _value = line.partition(":")
    return bool(colon) and "QUOTED-PRINTABLE" in head.upper()


@dataclass
class _Screened:
    """A card's properties as vobject will read them, and its first photo set aside."""

    text: str
    photo: bytes | None = None


def screen_card(lines: list[str], first_line: int, item: ImportItem) -> _Screened:
    """The card as vCard 3.0 text vobject can read, every line of it short enough.

    vobject's parser holds some 150 bytes per character of the line it reads (a card with a
    10 MB photo took 2 GB): the photo is decoded and scaled here instead (`stored_photo`),
    and a longer line than any field keeps is refused (a field we import) or dropped (one
    we do not), with its line."""
    out: list[str] = []
    screened = _Screened("")
    for index, line in logical_lines(lines):
        at = first_line + index
        name = _prop_name(line)
        if name in ("PHOTO", "LOGO"):
            if name == "PHOTO" and screened.photo is None:
                screened.photo = _photo(line, at, item.warnings)
            continue  # an organization's logo is not kept (nor read)
        if len(line) <= _LINE_MAX:
            out.append(line)
        elif name == "NOTE":
            item.problems.append(FieldProblem("notes", note_too_long()))
        elif name in _IMPORTED:
            item.problems.append(FieldProblem("card", _line_too_long(name, at, len(line))))
        else:
            item.warnings.append(
                _("{problem}; it was not imported.").format(
                    problem=_line_too_long(name, at, len(line))
                )
            )
    screened.text = "\r\n".join(out) + "\r\n"
    return screened


def _line_too_long(name: str, line: int, length: int) -> str:
    return _("The {property} line (line {line}) has {n} characters, over {limit}").format(
        property=name, line=line, n=count(length), limit=count(_LINE_MAX)
    )


def _data_uri_line(line: str) -> str:
    """vCard 4.0 ``PHOTO:data:image/png;base64,…`` as 3.0 ``PHOTO;ENCODING=b;TYPE=PNG:…``,
    which vobject decodes (it cuts a data URI at its comma)."""
    m = _DATA_URI.match(line)
    assert m is not None
    head, rest = m.group(1), line[m.end() :]
    meta, _sep, payload = rest.replace("\\,", ",").replace("\\;", ";").partition(",")
    if ";base64" not in meta.lower():
        return line
    subtype = meta.split(";")[0].rpartition("/")[2].upper() or "JPEG"
    params = [p for p in head.split(";")[1:] if not p.upper().startswith(("VALUE=", "MEDIATYPE="))]
    name = head.split(";")[0]
    return ";".join([name, *params, "ENCODING=b", f"TYPE={subtype}"]) + ":" + payload


def _decode_qp_line(line: str) -> str:
    head, _sep, value = line.partition(":")
    params = head.split(";")
    charset = "unknown"
    kept = [params[0]]
    for param in params[1:]:
        key, _eq, val = param.partition("=")
        if key.strip().upper() == "CHARSET":
            charset = val.strip().strip('"') or charset
        elif param.strip().upper() in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE"):
            continue
        else:
            kept.append(param)
    raw = quopri.decodestring(value.encode("utf-8", "surrogateescape"))
    decoded = raw.decode("latin-1")
    for encoding in (charset, "utf-8", "cp1252"):
        try:
            decoded = raw.decode(encoding, "strict" if encoding != charset else "replace")
            break
        except (LookupError, UnicodeDecodeError):
            continue
    decoded = decoded.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    decoded = decoded.replace("\n", "\\n").replace(",", "\\,")
    if _prop_name(params[0]) not in _STRUCTURED:  # there ";" separates the parts
        decoded = decoded.replace(";", "\\;")
    return ";".join(kept) + ":" + decoded


def _item(number: int, line: int, lines: list[str], closed: bool, region: str) -> ImportItem:
    item = ImportItem(number, line, None)
    if not closed:
        item.problems.append(
            FieldProblem("card", _("The card has no END:VCARD line (is the file cut short?)."))
        )
        return item
    try:
        screened = screen_card(lines, line, item)
        card = _read_card(screened.text, item)
        if card is not None:
            fill_item(item, card, region)
            if screened.photo is not None and isinstance(item.data, ContactData):
                item.data = dataclasses.replace(item.data, photo=screened.photo)
    except Exception as exc:  # vobject raises many kinds on a broken card; report, go on
        log.debug("card %s unreadable", number, exc_info=True)
        item.data = None
        item.problems = [
            FieldProblem("card", _("This card cannot be read: {error}").format(error=_why(exc)))
        ]
    return item


def _parse_one(text: str) -> Any:
    # imported on use, not at the top: keeps it off the start-up path
    import vobject

    return next(iter(vobject.readComponents(text)))


def _read_card(text: str, item: ImportItem) -> Any:
    """The vobject card; a damaged property we do not import is dropped with a warning, one
    we import makes the card a problem (None)."""
    try:
        return _parse_one(text)
    except Exception:  # see which property vobject cannot read
        log.debug("card %s: retrying property by property", item.number, exc_info=True)
    logical: list[str] = []
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += "\r\n" + line
        elif line:
            logical.append(line)
    body = [p for p in logical if _prop_name(p) not in ("BEGIN", "END", "VERSION")]
    version = next((p for p in logical if _prop_name(p) == "VERSION"), "VERSION:3.0")
    kept: list[str] = []
    for prop in body:
        try:
            _parse_one("\r\n".join(("BEGIN:VCARD", version, prop, "END:VCARD", "")))
        except Exception:
            name = _prop_name(prop)
            if name in _IMPORTED:
                item.problems.append(
                    FieldProblem(
                        "card", _("The {property} line cannot be read.").format(property=name)
                    )
                )
            elif name in _NOT_IMPORTED or name in _ANNIVERSARY_PROPERTIES or name == "BDAY":
                item.warnings.append(
                    _("The {property} line cannot be read; it was not imported.").format(
                        property=name
                    )
                )
            continue
        kept.append(prop)
    if item.problems:
        return None
    return _parse_one("\r\n".join(("BEGIN:VCARD", version, *kept, "END:VCARD", "")))


def _prop_name(line: str) -> str:
    head = re.split(r"[;:]", line, maxsplit=1)[0]
    return head.rsplit(".", 1)[-1].strip().upper()


def _why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _text(value: Any) -> str:
    if type(value) is str:  # nearly always: first, before the rarer kinds
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value).strip()


def _types(prop: Any) -> list[str]:
    raw = list(prop.params.get("TYPE", [])) + list(getattr(prop, "singletonparams", []))
    return [t.strip().strip('"').lower() for value in raw for t in str(value).split(",")]


def label_of(prop: Any, apple_labels: dict[str, str]) -> str:
    """The label a person gave: Apple's X-ABLabel, else the known TYPEs ("work fax")."""
    group = (prop.group or "").lower()
    if group and group in apple_labels:
        raw = apple_labels[group]
        m = _APPLE_LABEL.match(raw)
        if m:
            inner = m.group(1)
            return _APPLE_LABELS.get(inner.lower(), inner)
        return raw
    found = [TYPE_LABELS[t] for t in _types(prop) if t in TYPE_LABELS]
    return " ".join(sorted(dict.fromkeys(found), key=_LABEL_ORDER.__getitem__))


def _photo(line: str, at: int, warnings: list[str]) -> bytes | None:
    """The photo of a PHOTO line (base64, as 3.0 and 2.1 write it, or a data URI that
    `logical_lines` made 3.0), as CM Planner stores it; None, with a warning, when it is
    left out."""
    head, _sep, value = line.partition(":")
    text = "".join(value.split())
    if not text:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) or "VALUE=URI" in head.upper():
        url = text if len(text) <= 200 else text[:200] + "…"
        warnings.append(_("The photo is a link ({url}); it was not downloaded.").format(url=url))
        return None
    if text[:5].lower() == "data:":  # a data URI not in base64 (`_data_uri_line` left it)
        warnings.append(_("The photo is not in base64; it was not imported."))
        return None
    size = len(text) * 3 // 4
    if size > READ_MAX_BYTES:  # not even decoded
        why = _("the photo is {size}; a photo over {limit} is not read").format(
            size=megabytes(size), limit=megabytes(READ_MAX_BYTES)
        )
        stored = StoredPhoto(None, why)
    else:
        try:
            data = base64.b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            warnings.append(_("The photo is damaged; it was not imported."))
            return None
        if not data:
            return None
        stored = stored_photo(data)
    if stored.data is None:
        warnings.append(
            _("The photo (line {line}) was not imported: {reason}.").format(
                line=at, reason=stored.problem
            )
        )
    return stored.data


def _address(prop: Any, label: str) -> AddressData:
    adr = prop.value

    def part(name: str) -> str:
        return _text(getattr(adr, name, ""))

    street = ", ".join(p for p in (part("street"), part("extended"), part("box")) if p)
    return AddressData(
        label=label,
        street=street,
        postal_code=part("code"),
        city=part("city"),
        region=part("region"),
        country=part("country"),
    )


def _strip_scheme(value: str, scheme: str) -> str:
    return value[len(scheme) :] if value.lower().startswith(scheme) else value


@dataclass
class _CardFields:
    """What a card's properties say, gathered before it becomes a person or an organization."""

    apple_labels: dict[str, str]  # an Apple group → its X-ABLABEL
    given: str = ""
    family: str = ""
    formatted: str = ""
    nickname: str = ""
    role: str = ""
    kind: str = ""
    uid: str = ""
    org_kind: str = ""
    language: str = ""
    prefix: str = ""
    suffix: str = ""
    dates: dict[str, str] = dataclasses.field(default_factory=dict)  # "birthday" → stored form
    emails: list[Labelled] = dataclasses.field(default_factory=list)
    phones: list[Labelled] = dataclasses.field(default_factory=list)
    addresses: list[AddressData] = dataclasses.field(default_factory=list)
    orgs: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # name, group, unit
    titles: dict[str, str] = dataclasses.field(default_factory=dict)  # group ("" for none) → title
    tags: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    urls: list[str] = dataclasses.field(default_factory=list)
    dropped: dict[str, None] = dataclasses.field(default_factory=dict)

    def read(self, prop: Any, warnings: list[str]) -> None:
        name = prop.name.upper()
        if name == "N":
            self.read_name(prop.value)
        elif name == "FN":
            self.formatted = _text(prop.value)
        elif name == "NICKNAME":
            self.nickname = self.nickname or _text(prop.value).replace("\\,", ",")
        elif name == "EMAIL":
            value = _strip_scheme(_text(prop.value), "mailto:")
            if value:
                self.emails.append(Labelled(value, label_of(prop, self.apple_labels)))
        elif name == "TEL":
            value = _strip_scheme(_text(prop.value), "tel:")
            if value:
                self.phones.append(Labelled(value, label_of(prop, self.apple_labels)))
        elif name == "ADR":
            address = _address(prop, label_of(prop, self.apple_labels))
            if not address.is_empty():
                self.addresses.append(address)
        elif name == "ORG":
            self.read_organization(prop)
        elif (
            name == "BDAY"
            or name in _ANNIVERSARY_PROPERTIES
            or (name == "X-ABDATE" and "anniversary" in label_of(prop, self.apple_labels).lower())
        ):
            which = "birthday" if name == "BDAY" else "anniversary"
            _read_date(prop, which, self.dates, self.notes, warnings)
        elif name == "TITLE":
            self.titles.setdefault((prop.group or "").lower(), _text(prop.value))
        elif name == "ROLE":
            self.role = self.role or _text(prop.value)
        elif name == "CATEGORIES":
            values = prop.value if isinstance(prop.value, list) else str(prop.value).split(",")
            self.tags += [
                t for t in (_text(v) for v in values) if t and t.casefold() not in SYSTEM_CATEGORIES
            ]
        elif name == "NOTE":
            note = _text(prop.value)
            if note:
                self.notes.append(note)
        elif name == "UID":
            self.uid = _text(prop.value)
        elif name == "LANG":
            self.language = self.language or _text(prop.value)[:20]
        elif name == "KIND":
            self.kind = _text(prop.value).lower()
        elif (name, _text(prop.value).lower()) in _ORGANIZATION_MARKS:
            self.kind = "org"
        elif name == ORGANIZATION_KIND_PROPERTY:
            self.org_kind = _text(prop.value).lower()
        elif name == "URL":
            self.urls.append(_text(prop.value).replace("\\:", ":"))
        if name in _NOT_IMPORTED and name != "URL":
            self.dropped[_(_NOT_IMPORTED[name])] = None

    def read_name(self, n: Any) -> None:
        parts = (_text(getattr(n, "given", "")), _text(getattr(n, "additional", "")))
        self.given = " ".join(p for p in parts if p)
        self.family = _text(getattr(n, "family", ""))
        self.prefix = _text(getattr(n, "prefix", ""))
        self.suffix = _text(getattr(n, "suffix", ""))

    def read_organization(self, prop: Any) -> None:
        value = prop.value
        org = _text(value[0] if isinstance(value, list) and value else value)
        units = [_text(v) for v in value[1:]] if isinstance(value, list) else []
        if org and org not in [o for o, _g, _d in self.orgs]:
            self.orgs.append((org, (prop.group or "").lower(), " / ".join(u for u in units if u)))


def fill_item(item: ImportItem, card: Any, region: str) -> None:
    """Set `item.data` (and its warnings and problems) from a vobject card."""
    if getattr(card, "name", "").upper() != "VCARD":
        raise ValueError(_("not a VCARD component"))
    props = list(card.getChildren())
    fields = _CardFields(
        {
            (p.group or "").lower(): _text(p.value)
            for p in props
            if p.name.upper() == "X-ABLABEL" and p.group
        }
    )
    for prop in props:
        fields.read(prop, item.warnings)
    fields.uid = fields.uid[:64]
    if fields.kind in ("org", "organization"):
        item.data = _organization_card(item, fields, region)
    else:
        _fill_person(item, fields, region)


def _organization_card(item: ImportItem, f: _CardFields, region: str) -> OrganizationData:
    organization = _organization(
        item,
        f.orgs[0][0] if f.orgs else f.formatted,
        f.emails,
        f.phones,
        f.addresses,
        f.notes,
        f.urls,
        f.uid,
        region,
    )
    if f.org_kind in {k.value for k in OrganizationKind}:  # as CM Planner exported it
        organization = dataclasses.replace(organization, kind=f.org_kind)
    return organization


def _fill_person(item: ImportItem, f: _CardFields, region: str) -> None:
    if f.kind and f.kind not in ("individual", ""):
        item.problems.append(
            FieldProblem(
                "kind",
                _("This card is a “{kind}”, not a person or an organization.").format(kind=f.kind),
            )
        )
    if f.urls:
        web_site = _NOT_IMPORTED["URL"]
        f.dropped[_(web_site)] = None
    given, family = f.given, f.family
    if not (given or family) and f.formatted:
        words = f.formatted.split()
        given, family = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (f.formatted, "")
    shown = formatted_override(f.formatted, given, family, f.prefix, f.suffix)
    if f.dropped:
        item.warnings.append(_("Not imported: {fields}.").format(fields=", ".join(f.dropped)))
    data = ContactData(
        given_name=given,
        family_name=family,
        nickname=f.nickname,
        name_prefix=f.prefix,
        name_suffix=f.suffix,
        formatted_name=shown,
        birthday=f.dates.get("birthday", ""),
        anniversary=f.dates.get("anniversary", ""),
        emails=tuple(f.emails),
        phones=tuple(f.phones),
        addresses=tuple(f.addresses),
        affiliations=tuple(_affiliations(f.orgs, f.titles, f.role)),
        tags=tuple(dict.fromkeys(f.tags)),
        notes="\n".join(f.notes),
        uid=f.uid or None,
        language=f.language or ContactData.language,
    )
    cleaned, problems, warnings = check_imported(data, region)
    item.data = cleaned
    item.problems += problems
    item.warnings += warnings


def _affiliations(
    orgs: list[tuple[str, str, str]], titles: dict[str, str], role: str
) -> Iterator[AffiliationData]:
    """Each ORG with its TITLE: the same group's, else the card's own for the first ORG."""
    ungrouped = titles.get("", "") or role
    for org, group, department in orgs:
        if group and group in titles:
            yield AffiliationData(org, titles[group], department=department)
        elif not group and ungrouped:
            yield AffiliationData(org, ungrouped, department=department)
            ungrouped = ""
        else:
            yield AffiliationData(org, "", department=department)


def _read_date(
    prop: Any, which: str, dates: dict[str, str], notes: list[str], warnings: list[str]
) -> None:
    """The card's first birthday or anniversary into `dates` (see `date_or_note`)."""
    if which not in dates:
        omit = str(prop.params.get(APPLE_OMIT_YEAR, [""])[0])
        dates[which] = date_or_note(_text(prop.value), which, notes, warnings, omit_year=omit)


def _organization(
    item: ImportItem,
    name: str,
    emails: list[Labelled],
    phones: list[Labelled],
    addresses: list[AddressData],
    notes: list[str],
    urls: list[str],
    uid: str,
    region: str,
) -> OrganizationData:
    email = phone = ""
    if emails:
        email, problem = normalize_email(emails[0].value)
        if problem:
            item.problems.append(FieldProblem("email", problem))
    if phones:
        phone, problem = normalize_phone(phones[0].value, card_region(addresses, region))
        if problem:
            item.warnings.append(
                _("Phone “{value}” kept as written: {reason}").format(value=phone, reason=problem)
            )
    if len(emails) > 1 or len(phones) > 1 or len(addresses) > 1:
        item.warnings.append(
            _(
                "An organization keeps one e-mail, one phone and one address;"
                " the others were not imported."
            )
        )
    if not name.strip():
        item.problems.append(FieldProblem("name", _("An organization needs a name.")))
    address = addresses[0] if addresses else AddressData()
    return OrganizationData(
        name=name.strip(),
        website=urls[0] if urls else "",
        email=email,
        phone=phone,
        street=address.street,
        postal_code=address.postal_code,
        city=address.city,
        country=address.country,
        notes="\n".join(notes),
        uid=uid or None,
    )
