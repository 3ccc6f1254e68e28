"""Contacts from CSV: Google Contacts (current and legacy headers), Outlook (English,
French, German headers) and any other CSV through a column mapping.

The encoding (UTF-8, UTF-8 with BOM, UTF-16, Windows-1252) is settled by `decode_text`; the
separator (``,``, ``;`` or tab) by csv.Sniffer checked against the headers it recognises.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cmplanner.i18n import _, count
from cmplanner.interop.contacts.items import ImportItem, ImportRefused, ParsedFile, decode_text
from cmplanner.services.contact_data import AddressData, AffiliationData, ContactData, Labelled
from cmplanner.services.partial_dates import date_or_note
from cmplanner.services.validation import check_imported, formatted_override

FIELDS = (
    "given_name",
    "middle_name",
    "family_name",
    "full_name",
    "nickname",
    "name_prefix",
    "name_suffix",
    "birthday",
    "anniversary",
    "email",
    "phone",
    "organization",
    "role",
    "department",
    "street",
    "postal_code",
    "city",
    "region",
    "country",
    "notes",
    "tags",
    "uid",
    "ignore",
)
ADDRESS_FIELDS = ("street", "postal_code", "city", "region", "country")
GOOGLE_SEPARATOR = " ::: "
# Google's own groups, not labels a person chose ("* myContacts", "* starred").
GOOGLE_SYSTEM_LABELS = {"mycontacts", "my contacts", "starred", "other contacts"}
# Our e-mail, phone and address labels → the ones Google Contacts writes and reads.
GOOGLE_LABELS = {
    "work": "Work",
    "home": "Home",
    "mobile": "Mobile",
    "other": "Other",
    "main": "Main",
    "work fax": "Work Fax",
    "home fax": "Home Fax",
    "fax": "Other Fax",
    "pager": "Pager",
}
_FROM_GOOGLE_LABEL = {google.casefold(): ours for ours, google in GOOGLE_LABELS.items()}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EMPTY_DATE = re.compile(r"^[0\s/.\-]*$")  # Outlook writes 0/0/00 for "no birthday"

# Outlook's headers (English, French, German) → (field, label).
_OUTLOOK: dict[str, tuple[str, str]] = {}


def _outlook(field: str, label: str, *headers: str) -> None:
    for header in headers:
        _OUTLOOK[header.casefold()] = (field, label)


_outlook("given_name", "", "First Name", "Prénom", "Vorname")
_outlook("middle_name", "", "Middle Name", "Deuxième prénom", "Weitere Vornamen")
_outlook("family_name", "", "Last Name", "Nom", "Nachname")
_outlook("nickname", "", "Nickname", "Surnom", "Spitzname")
_outlook("name_prefix", "", "Title", "Anrede")
_outlook("name_suffix", "", "Suffix", "Suffixe", "Namenszusatz")
_outlook("birthday", "", "Birthday", "Anniversaire", "Geburtstag")
_outlook("anniversary", "", "Anniversary", "Anniversaire de mariage", "Jahrestag")
_outlook("department", "", "Department", "Service", "Abteilung")
_outlook("organization", "", "Company", "Société", "Firma")
_outlook("role", "", "Job Title", "Fonction", "Poste", "Position")
_outlook(
    "email",
    "",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Adresse de messagerie",
    "Adresse de messagerie 2",
    "Adresse de messagerie 3",
    "E-Mail-Adresse",
    "E-Mail 2: Adresse",
    "E-Mail 3: Adresse",
)
_outlook(
    "phone",
    "mobile",
    "Mobile Phone",
    "Tél. mobile",
    "Téléphone mobile",
    "Téléphone portable",
    "Mobiltelefon",
)
_outlook(
    "phone",
    "work",
    "Business Phone",
    "Business Phone 2",
    "Téléphone (bureau)",
    "Téléphone 2 (bureau)",
    "Téléphone bureau",
    "Telefon geschäftlich",
    "Telefon geschäftlich 2",
)
_outlook(
    "phone",
    "home",
    "Home Phone",
    "Home Phone 2",
    "Téléphone (domicile)",
    "Téléphone 2 (domicile)",
    "Téléphone domicile",
    "Telefon privat",
    "Telefon privat 2",
)
_outlook("phone", "", "Other Phone", "Primary Phone", "Autre téléphone", "Weiteres Telefon")
_outlook("phone", "work fax", "Business Fax", "Télécopie (bureau)", "Fax geschäftlich")
_outlook("phone", "home fax", "Home Fax", "Télécopie (domicile)", "Fax privat")
_outlook("phone", "fax", "Other Fax")
_outlook("phone", "pager", "Pager")
for _label, _en, _fr, _de in (
    ("work", "Business", "bureau", "geschäftlich"),
    ("home", "Home", "domicile", "privat"),
):
    _outlook("street", _label, f"{_en} Street", f"Rue ({_fr})", f"Straße {_de}")
    _outlook("city", _label, f"{_en} City", f"Ville ({_fr})", f"Ort {_de}")
    _outlook("region", _label, f"{_en} State", f"Dép/Région ({_fr})", f"Region {_de}")
    _outlook(
        "postal_code",
        _label,
        f"{_en} Postal Code",
        f"Code postal ({_fr})",
        f"Postleitzahl {_de}",
    )
    _outlook(
        "country",
        _label,
        f"{_en} Country/Region",
        f"Pays/Région ({_fr})",
        f"Land/Region {_de}",
    )
for _part, _field in (
    ("Street", "street"),
    ("City", "city"),
    ("State", "region"),
    ("Postal Code", "postal_code"),
    ("Country/Region", "country"),
):
    _outlook(_field, "other", f"Other {_part}")
_outlook("tags", "", "Categories", "Catégories", "Kategorien")
_outlook("notes", "", "Notes", "Notizen")
_outlook("ignore", "", "E-mail Display Name", "E-mail Type")
# Headers only Outlook in English writes.
_OUTLOOK_ENGLISH = {"first name", "last name", "e-mail address", "company"}

# Words that give away a column of any other CSV, tried in this order on the header.
_GUESSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("anniversary", ("anniversary", "mariage", "wedding", "jahrestag", "hochzeit")),
    ("birthday", ("birthday", "birth", "naissance", "anniversaire", "geburtstag", "cumpleaños")),
    ("email", ("mail", "courriel")),
    ("phone", ("phone", "tél", "tel", "mobile", "portable", "handy", "gsm", "fax")),
    ("postal_code", ("zip", "postal", "postcode", "code postal", "plz", "postleitzahl")),
    ("street", ("street", "address", "adresse", "rue", "straße", "strasse")),
    ("city", ("city", "ville", "town", "commune", "ort")),
    ("country", ("country", "pays", "land")),
    (
        "organization",
        (
            "company",
            "organi",
            "société",
            "societe",
            "entreprise",
            "structure",
            "association",
            "firma",
            "employer",
            "employeur",
        ),
    ),
    ("name_prefix", ("prefix", "civilité", "civilite", "salutation", "anrede")),
    ("name_suffix", ("suffix", "suffixe")),
    ("department", ("department", "abteilung")),
    ("role", ("job", "title", "role", "rôle", "fonction", "poste", "position")),
    ("given_name", ("first", "given", "prénom", "prenom", "vorname")),
    ("family_name", ("last", "surname", "family", "nom de famille", "nachname")),
    ("nickname", ("nickname", "surnom", "pseudo", "spitzname")),
    ("full_name", ("full name", "nom complet", "display name", "name", "nom", "contact")),
    ("notes", ("note", "comment", "remarque", "notiz")),
    ("tags", ("tag", "label", "categor", "catégor", "group", "groupe", "étiquette")),
    ("uid", ("uid",)),
)
_GOOGLE_GROUP = re.compile(r"^(e-mail|phone|address|organization|website|event) (\d+) - (.+)$")
_ORGANIZATION_PARTS = ("name", "title", "department")


def _key(header: str) -> str:
    return " ".join(unicodedata.normalize("NFC", header).replace("\ufeff", "").split()).casefold()


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """column index → field (one of FIELDS), from the header's words; "ignore" if unknown."""
    mapping: dict[int, str] = {}
    titles = [i for i, h in enumerate(headers) if _key(h) == "titre"]
    for index, header in enumerate(headers):
        key = _key(header)
        if key == "titre":
            # French Outlook has "Titre" twice: the courtesy title, then the job title.
            mapping[index] = "role" if len(titles) == 1 or index == titles[-1] else "name_prefix"
            continue
        if key in _OUTLOOK:
            mapping[index] = _OUTLOOK[key][0]
            continue
        mapping[index] = "ignore"
        for field, words in _GUESSES:
            if any(_matches(key, word) for word in words):
                mapping[index] = field
                break
    return mapping


def _matches(key: str, word: str) -> bool:
    if len(word) <= 4:  # short words only as whole words: "tel", "nom", "ort"
        return word in re.split(r"[^\w]+", key)
    return word in key


def _labels(headers: list[str]) -> dict[int, str]:
    return {i: _OUTLOOK.get(_key(h), ("", ""))[1] for i, h in enumerate(headers)}


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)
    delimiter: str


_SNIFFED_LINES = 50
_SNIFFED_CHARS = 4096


def _recognised(headers: list[str]) -> int:
    return sum(1 for f in guess_mapping(headers).values() if f != "ignore") + (
        20 if _is_google(headers) else 0
    )


def _first_record(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def sniff_delimiter(text: str) -> str:
    # The first lines tell the delimiter; the sniffer takes some 20 µs a character (1.3 s
    # for 64 kB of short lines), and the square of a run of delimiters in quotes (30 s for
    # 64 kB of commas); which delimiter reads the headers decides, below.
    sample = "\n".join(text[:_SNIFFED_CHARS].split("\n", _SNIFFED_LINES)[:_SNIFFED_LINES])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ","
    best = max(
        (sniffed, ",", ";", "\t"),
        key=lambda d: (_recognised(_first_record(text, d)), len(_first_record(text, d))),
    )
    return best


def read_table(text: str) -> Table:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        headers = next(reader, [])
        line = reader.line_num + 1
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        error = str(exc)
        if "field larger than field limit" in error:  # the csv module's own bound
            error = _("a cell is longer than {limit} characters.").format(
                limit=count(csv.field_size_limit())
            )
        raise ImportRefused(
            _("The CSV file cannot be read at line {line}: {error}").format(
                line=reader.line_num, error=error
            ),
            line=reader.line_num,
        ) from exc
    return Table([h.strip() for h in headers], rows, delimiter)


def _is_google(headers: list[str]) -> bool:
    keys = {_key(h) for h in headers}
    return "group membership" in keys or any(
        _GOOGLE_GROUP.match(k) and k.endswith((" - value", " - type", " - label")) for k in keys
    )


def detect_kind(text: str) -> str | None:
    """google | outlook | csv for a CSV with contact columns; None for anything else."""
    headers = _first_record(text, sniff_delimiter(text))
    if len(headers) < 1:
        return None
    if _is_google(headers):
        return "google"
    keys = [_key(h) for h in headers]
    if sum(1 for k in keys if k in _OUTLOOK or k == "titre") >= 4:
        return "outlook"
    wanted = {"given_name", "family_name", "full_name", "email", "phone", "nickname"}
    if wanted & set(guess_mapping(headers).values()):
        return "csv"
    return None


# --- rows into contacts -------------------------------------------------------------------------


def _cell(value: str) -> str:
    value = value.strip()
    if value[:1] == "'" and value[1:2] in _FORMULA_START:
        return value[1:]  # our own export's guard against formulas
    return value


def _split_tags(value: str, separators: str = ";,") -> list[str]:
    """Tags in one cell: Google's " ::: ", else any of `separators`."""
    if ":::" in value:
        parts = value.split(GOOGLE_SEPARATOR.strip())
    else:
        parts = re.split("[" + re.escape(separators) + "]", value)
    return [p.strip() for p in parts if p.strip()]


def _contact_from_cells(
    cells: list[tuple[str, str, str]],
    item: ImportItem,
    region: str,
    affiliations: list[tuple[str, str, str]] | None = None,
    tag_separators: str = ";,",
    day_first: bool = True,
) -> ContactData:
    """(field, label, value) triples → a checked card, problems and warnings in `item`;
    `affiliations` (organization, title, department) when the format pairs them itself.
    A "tags" cell is split at `tag_separators`."""
    names: dict[str, list[str]] = {}
    emails: list[Labelled] = []
    phones: list[Labelled] = []
    addresses: dict[str, dict[str, str]] = {}
    tags: list[str] = []
    notes: list[str] = []
    dates: dict[str, str] = {}
    for field, label, value in cells:
        if not value or field == "ignore":
            continue
        if field == "email":
            emails += [Labelled(v, label) for v in _values(value)]
        elif field == "phone":
            phones += [Labelled(v, label) for v in _values(value)]
        elif field in ADDRESS_FIELDS:
            parts = addresses.setdefault(label, {})
            parts[field] = f"{parts[field]}, {value}" if field in parts else value
        elif field == "tags":
            tags += _split_tags(value, tag_separators)
        elif field == "tag":  # one tag, whatever it holds (Google's labels)
            tags.append(value)
        elif field in ("birthday", "anniversary"):
            if field not in dates and not _EMPTY_DATE.match(value):
                dates[field] = date_or_note(value, field, notes, item.warnings, day_first)
        else:
            names.setdefault(field, []).append(value)

    def one(field: str, sep: str = " ") -> str:
        return sep.join(names.get(field, []))

    given = " ".join(p for p in (one("given_name"), one("middle_name")) if p)
    family = one("family_name")
    full = one("full_name")
    if not (given or family) and full:
        words = full.split()
        given, family = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (words[0], "")
    prefix, suffix = one("name_prefix"), one("name_suffix")
    if affiliations is None:
        affiliations = _row_affiliations(names, item)
    data = ContactData(
        given_name=given,
        family_name=family,
        nickname=one("nickname", ", "),
        name_prefix=prefix,
        name_suffix=suffix,
        formatted_name=formatted_override(full, given, family, prefix, suffix),
        birthday=dates.get("birthday", ""),
        anniversary=dates.get("anniversary", ""),
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=tuple(AddressData(label=label, **parts) for label, parts in addresses.items()),
        affiliations=tuple(
            AffiliationData(org, title, department=unit) for org, title, unit in affiliations if org
        ),
        tags=tuple(dict.fromkeys(tags)),
        notes="\n".join([*names.get("notes", []), *notes]),
        uid=one("uid")[:64] or None,
    )
    cleaned, problems, warnings = check_imported(data, region)
    item.problems += problems
    item.warnings += warnings
    return cleaned


def _row_affiliations(names: dict[str, list[str]], item: ImportItem) -> list[tuple[str, str, str]]:
    """(organization, title, department) from a row's own columns: the role and department go
    with its first organization; without one they are not imported, and a warning says so."""
    organizations = names.get("organization", [])
    role = ", ".join(names.get("role", []))
    department = ", ".join(names.get("department", []))
    if role and not organizations:
        item.warnings.append(_("Role “{role}” not imported: no organization.").format(role=role))
    if department and not organizations:
        item.warnings.append(
            _("Department “{department}” not imported: no organization.").format(
                department=department
            )
        )
    return [
        (org, role if n == 0 else "", department if n == 0 else "")
        for n, org in enumerate(organizations)
    ]


def _values(value: str) -> list[str]:
    return [v.strip() for v in value.split(GOOGLE_SEPARATOR.strip()) if v.strip()]


def _rows(table: Table) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, line, cells) of each non-blank row."""
    for number, (line, cells) in enumerate(table.rows, start=1):
        if any(c.strip() for c in cells):
            yield number, line, cells


def _items_from_mapping(
    table: Table,
    mapping: Mapping[int, str],
    labels: Mapping[int, str],
    region: str,
    tag_separators: str = ";,",
) -> list[ImportItem]:
    items: list[ImportItem] = []
    width = len(table.headers)
    # English Outlook writes dates month first (4/12/1985); the others day first.
    day_first = not _OUTLOOK_ENGLISH & {_key(h) for h in table.headers}
    for number, line, cells in _rows(table):
        item = ImportItem(number, line, None, unit="row")
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            item.warnings.append(
                _("This row has more cells than the header; the extra ones were ignored.")
            )
        triples = [
            (mapping.get(i, "ignore"), labels.get(i, ""), _cell(value))
            for i, value in enumerate(cells[:width])
        ]
        item.data = _contact_from_cells(
            triples, item, region, tag_separators=tag_separators, day_first=day_first
        )
        items.append(item)
    return items


def parse_csv(
    data: bytes | str, mapping: Mapping[int, str], region: str = "FR"
) -> list[ImportItem]:
    """A CSV read with an explicit column mapping (column index → field of FIELDS)."""
    for index, field in mapping.items():
        if field not in FIELDS:
            raise ImportRefused(
                _("Column {n}: unknown field “{field}”.").format(n=index + 1, field=field)
            )
    text = decode_text(data) if isinstance(data, bytes) else data
    table = read_table(text)
    return _items_from_mapping(table, mapping, {}, region)


# --- Google ------------------------------------------------------------------------------------


def _google_label(value: str) -> str:
    label = value.split(GOOGLE_SEPARATOR.strip())[0].strip().lstrip("*").strip()
    return _FROM_GOOGLE_LABEL.get(label.casefold(), label)


def _google_items(table: Table, region: str) -> list[ImportItem]:
    keys = [_key(h) for h in table.headers]
    items: list[ImportItem] = []
    for number, line, raw in _rows(table):
        cells = {k: _cell(raw[i]) for i, k in enumerate(keys) if i < len(raw) and raw[i].strip()}
        item = ImportItem(number, line, None, unit="row")
        triples: list[tuple[str, str, str]] = []
        orgs: dict[str, list[str]] = {}

        for field, names in (
            ("given_name", ("first name", "given name")),
            ("middle_name", ("middle name", "additional name")),
            ("family_name", ("last name", "family name")),
            ("full_name", ("name",)),
            ("nickname", ("nickname",)),
            ("name_prefix", ("name prefix",)),
            ("name_suffix", ("name suffix",)),
            ("birthday", ("birthday",)),
            ("notes", ("notes",)),
            ("uid", ("uid",)),
        ):
            value = next((cells[n] for n in names if cells.get(n)), "")
            if value:
                triples.append((field, "", value))
        for key in keys:
            m = _GOOGLE_GROUP.match(key)
            if not m or key not in cells:
                continue
            kind, n, part = m.groups()
            label = _google_label(
                cells.get(f"{kind} {n} - label", "") or cells.get(f"{kind} {n} - type", "")
            )
            if kind == "e-mail" and part == "value":
                triples.append(("email", label, cells[key]))
            elif kind == "phone" and part == "value":
                triples.append(("phone", label, cells[key]))
            elif kind == "address":
                target = {
                    "street": "street",
                    "city": "city",
                    "region": "region",
                    "postal code": "postal_code",
                    "country": "country",
                    "po box": "street",
                    "extended address": "street",
                }.get(part)
                if target:
                    triples.append((target, label, cells[key]))
                elif part == "formatted" and not any(
                    cells.get(f"address {n} - {p}") for p in ("street", "city", "postal code")
                ):
                    triples.append(("street", label, cells[key]))
            elif kind == "organization" and part in _ORGANIZATION_PARTS:
                orgs.setdefault(n, ["", "", ""])[_ORGANIZATION_PARTS.index(part)] = cells[key]
            elif kind == "event" and part == "value":
                # Google's events: its anniversary is one; any other is kept in the notes.
                if label.casefold() in ("anniversary", "anniversaire"):
                    triples.append(("anniversary", "", cells[key]))
                else:
                    note = _("{event}: {date}").format(event=label or _("Event"), date=cells[key])
                    triples.append(("notes", "", note))
        if any(cells.get(f"organization {part}") for part in _ORGANIZATION_PARTS):
            orgs["0"] = [cells.get(f"organization {part}", "") for part in _ORGANIZATION_PARTS]
        groups = cells.get("labels") or cells.get("group membership") or ""
        for group in _values(groups):
            name = group.lstrip("*").strip()
            if group.startswith("*") and name.casefold() in GOOGLE_SYSTEM_LABELS:
                continue
            triples.append(("tag", "", name))  # a label may hold a comma: "vélo, rando"
        pairs = [(o[0], o[1], o[2]) for _n, o in sorted(orgs.items(), key=lambda kv: int(kv[0]))]
        item.data = _contact_from_cells(triples, item, region, pairs)
        items.append(item)
    return items


# --- entry point --------------------------------------------------------------------------------


def parse_csv_text(
    text: str, kind: str, region: str = "FR", mapping: Mapping[int, str] | None = None
) -> ParsedFile:
    table = read_table(text)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise ImportRefused(_("The CSV file has no header line."))
    if kind == "google":
        items = _google_items(table, region)
        used = {i: "google" for i in range(len(table.headers))}
        ignored: tuple[str, ...] = ()
    else:
        used = dict(mapping) if mapping is not None else guess_mapping(table.headers)
        for index, field in used.items():
            if field not in FIELDS:
                raise ImportRefused(
                    _("Column {n}: unknown field “{field}”.").format(n=index + 1, field=field)
                )
        if not any(f != "ignore" for f in used.values()):
            raise ImportRefused(
                _("No column of this CSV file could be matched to a contact field.")
            )
        labels = _labels(table.headers) if kind == "outlook" else {}
        # Outlook separates its categories with ";" only: "vélo, rando" is one.
        separators = ";" if kind == "outlook" else ";,"
        items = _items_from_mapping(table, used, labels, region, separators)
        ignored = tuple(
            h for i, h in enumerate(table.headers) if used.get(i, "ignore") == "ignore" and h
        )
    if not items:
        raise ImportRefused(_("The CSV file has a header but no contacts."))
    return ParsedFile(kind, items, tuple(table.headers), used, ignored)
