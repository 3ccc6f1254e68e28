"""Exporting contacts: vCard 4.0 (or 3.0) built with vobject, and CSV in three dialects.

Organizations can go in the same .vcf as organization cards (``KIND:org`` in 4.0; Apple's
``X-ABShowAs:COMPANY`` and ``X-ADDRESSBOOKSERVER-KIND:org`` in 3.0), their kind (sponsor,
media…) in ``X-CMPLANNER-KIND``: CM Planner's import reads them back as organizations.
vCard lines are folded at 75 octets (RFC 6350 §3.2), the photo's too.

Files are written atomically (storage/files.py): a failed export leaves an existing file as
it was. The CSV is written for a spreadsheet (formulas guarded with ``'``, a BOM), for Google
Contacts or for Outlook: see DIALECTS.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _
from cmplanner.interop.contacts.csv_files import GOOGLE_LABELS, GOOGLE_SEPARATOR
from cmplanner.interop.contacts.vcard import LABEL_TYPES, ORGANIZATION_KIND_PROPERTY
from cmplanner.model import Contact, Organization
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.contacts import card_of
from cmplanner.services.organizations import organization_data
from cmplanner.services.partial_dates import format_partial_date, vcard_date
from cmplanner.storage import Database, files
from cmplanner.storage.sql import in_chunks

VERSIONS = ("4.0", "3.0")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def contact_ids(
    db: Database,
    search: str = "",
    tag: str | None = None,
    community: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[int]:
    """The contacts to export: all, or those matching every filter given, in list order."""
    chosen = CONTACTS.ids(db, text=search)
    keep: set[int] | None = set(ids) if ids is not None else None
    with db.read() as con:
        if tag:
            found = {
                r[0]
                for r in con.execute(
                    "SELECT ct.contact_id FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
                    " WHERE t.name = ? COLLATE NOCASE",
                    (tag,),
                )
            }
            keep = found if keep is None else keep & found
        if community:
            found = {
                r[0]
                for r in con.execute(
                    "SELECT m.contact_id FROM community_member m"
                    " JOIN community c ON c.id = m.community_id WHERE c.name = ? COLLATE NOCASE",
                    (community,),
                )
            }
            keep = found if keep is None else keep & found
    return chosen if keep is None else [i for i in chosen if i in keep]


def _cards(db: Database, ids: Sequence[int] | None) -> Iterator[tuple[ContactData, dt.datetime]]:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import col, select

    with db.session() as session:
        if ids is None:
            query = select(Contact).order_by(col(Contact.family_name), col(Contact.id))
            contacts = list(session.exec(query))
        else:
            contacts = [c for c in (session.get(Contact, i) for i in ids) if c is not None]
        for contact in contacts:
            yield card_of(session, contact), contact.updated_at


# --- vCard -------------------------------------------------------------------------------------


def _mime(photo: bytes) -> str:
    if photo.startswith(b"\x89PNG"):
        return "png"
    if photo.startswith(b"GIF8"):
        return "gif"
    return "jpeg"


def vcard_of(data: ContactData, updated: dt.datetime | None, version: str = "4.0") -> Any:
    """One contact as a vobject vCard component."""
    # imported on use, not at the top: keeps it off the start-up path
    import vobject

    card = vobject.vCard()
    card.add("version").value = version
    if version == "4.0":
        card.add("kind").value = "individual"
    card.add("n").value = vobject.vcard.Name(
        family=data.family_name,
        given=data.given_name,
        prefix=data.name_prefix,
        suffix=data.name_suffix,
    )
    card.add("fn").value = data.display_name or data.nickname or "?"
    if data.nickname:
        card.add("nickname").value = data.nickname
    if version == "4.0" and data.language.strip():
        # The order of the name (FN) follows it: "Nagy János" for "hu" (model.names).
        card.add("lang").value = data.language.strip()
    _dates(card, data, version)
    groups = 0

    def labelled(name: str, value: Any, label: str) -> None:
        nonlocal groups
        prop = card.add(name)
        prop.value = value
        words = label.split()
        if words and all(w in LABEL_TYPES for w in words):
            types = [LABEL_TYPES[w] for w in words]
            prop.params["TYPE"] = types if version == "4.0" else [t.upper() for t in types]
        elif label:
            # A label of the person's own: Apple's grouped X-ABLabel, read by most clients.
            groups += 1
            prop.group = f"item{groups}"
            mark = card.add("x-ablabel")
            mark.group = prop.group
            mark.value = label

    for email in data.emails:
        labelled("email", email.value, email.label)
    for phone in data.phones:
        labelled("tel", phone.value, phone.label)
    for a in data.addresses:
        labelled(
            "adr",
            vobject.vcard.Address(
                street=a.street, city=a.city, region=a.region, code=a.postal_code, country=a.country
            ),
            a.label,
        )
    for n, link in enumerate(data.affiliations):
        units = [link.organization, link.department] if link.department else [link.organization]
        if n == 0:
            card.add("org").value = units
            if link.role:
                card.add("title").value = link.role
        else:
            # vCard has one TITLE per ORG only through groups; keep them paired.
            groups += 1
            org = card.add("org")
            org.group = f"item{groups}"
            org.value = units
            if link.role:
                title = card.add("title")
                title.group = org.group
                title.value = link.role
    if data.tags:
        card.add("categories").value = list(data.tags)
    if data.notes:
        card.add("note").value = data.notes
    if data.photo:
        _photo(card, data.photo, version)
    _identify(card, data.uid, updated)
    return card


def _photo(card: Any, image: bytes, version: str) -> None:
    """PHOTO: a data: URI in 4.0, base64 with its TYPE in 3.0."""
    photo = card.add("photo")
    kind = _mime(image)
    if version == "4.0":
        encoded = base64.b64encode(image).decode("ascii")
        photo.value = f"data:image/{kind};base64,{encoded}"
        photo.encoded = True  # a URI: no text escaping of its ";" and ","
    else:
        photo.params["ENCODING"] = ["b"]
        photo.params["TYPE"] = [kind.upper()]
        photo.value = image


def _dates(card: Any, data: ContactData, version: str) -> None:
    """BDAY, and the anniversary: ANNIVERSARY in 4.0, X-ANNIVERSARY in 3.0 (which has none;
    Evolution, KAddressBook and CM Planner read it)."""
    if data.birthday:
        card.add("bday").value = vcard_date(data.birthday, version)
    if data.anniversary:
        name = "anniversary" if version == "4.0" else "x-anniversary"
        card.add(name).value = vcard_date(data.anniversary, version)


def _identify(card: Any, uid: str | None, updated: dt.datetime | None) -> None:
    """The card's UID and its REV (when it was last changed, in UTC)."""
    if uid:
        card.add("uid").value = uid
    if updated is not None:
        stamp = updated if updated.tzinfo else updated.replace(tzinfo=dt.UTC)
        card.add("rev").value = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def organization_ids(db: Database, contact_ids: Sequence[int] | None) -> list[int]:
    """The organizations that go with an export of contacts: every one when all contacts go
    (a venue or a sponsor with nobody recorded there included), else those the contacts
    belong to; by name."""
    with db.read() as con:
        if contact_ids is None:
            rows = con.execute("SELECT id FROM organization ORDER BY name COLLATE NOCASE, id")
            return [int(r[0]) for r in rows]
        ids = list(dict.fromkeys(contact_ids))
        found: set[int] = set()
        for chunk, marks in in_chunks(ids):
            found.update(
                int(r[0])
                for r in con.execute(
                    "SELECT DISTINCT organization_id FROM affiliation"
                    f" WHERE contact_id IN ({marks})",
                    chunk,
                )
            )
        if not found:
            return []
        marks = ",".join("?" * len(found))
        rows = con.execute(
            f"SELECT id FROM organization WHERE id IN ({marks}) ORDER BY name COLLATE NOCASE, id",
            sorted(found),
        )
        return [int(r[0]) for r in rows]


def _organizations(
    db: Database, ids: Sequence[int]
) -> Iterator[tuple[OrganizationData, dt.datetime]]:
    with db.session() as session:
        for org in (session.get(Organization, i) for i in ids):
            if org is not None:
                yield organization_data(org), org.updated_at


def vcard_of_organization(
    data: OrganizationData, updated: dt.datetime | None, version: str = "4.0"
) -> Any:
    """One organization as a vobject vCard component: an organization's card."""
    # imported on use, not at the top: keeps it off the start-up path
    import vobject

    card = vobject.vCard()
    card.add("version").value = version
    if version == "4.0":
        card.add("kind").value = "org"
    else:
        card.add("x-abshowas").value = "COMPANY"
        card.add("x-addressbookserver-kind").value = "org"
    card.add("n").value = vobject.vcard.Name()
    card.add("fn").value = data.name
    card.add("org").value = [data.name]
    work = ["work"] if version == "4.0" else ["WORK"]
    if data.email:
        card.add("email").value = data.email
        card.contents["email"][0].params["TYPE"] = work
    if data.phone:
        card.add("tel").value = data.phone
        card.contents["tel"][0].params["TYPE"] = work
    if any((data.street, data.postal_code, data.city, data.country)):
        card.add("adr").value = vobject.vcard.Address(
            street=data.street, city=data.city, code=data.postal_code, country=data.country
        )
        card.contents["adr"][0].params["TYPE"] = work
    if data.website:
        card.add("url").value = data.website
    if data.notes:
        card.add("note").value = data.notes
    card.add(ORGANIZATION_KIND_PROPERTY.lower()).value = data.kind
    _identify(card, data.uid, updated)
    return card


def export_vcard(
    db: Database,
    ids: Sequence[int] | None,
    path: Path | str,
    version: str = "4.0",
    organizations: Sequence[int] = (),
) -> int:
    """Write the `organizations`, then the contacts (all when `ids` is None), to a .vcf
    file; returns how many contacts."""
    text, count = vcard_text(db, ids, organizations, version)
    files.write_export(Path(path), text.encode("utf-8"))
    return count


def vcard_text(
    db: Database,
    ids: Sequence[int] | None,
    organizations: Sequence[int] = (),
    version: str = "4.0",
) -> tuple[str, int]:
    """The .vcf text of the `organizations` and the contacts (all when `ids` is None), and
    how many contacts it holds."""
    if version not in VERSIONS:
        raise CMPlannerError(_("vCard version must be 4.0 or 3.0."))
    cards = list(_cards(db, ids))
    # Organizations first: an import then finds them by name for the people who belong to them.
    parts = [
        serialize(vcard_of_organization(data, updated, version))
        for data, updated in _organizations(db, organizations)
    ]
    parts += [serialize(vcard_of(data, updated, version)) for data, updated in cards]
    return "".join(parts), len(cards)


def serialize(card: Any) -> str:
    """The card's text with every line folded at 75 octets, never inside a character
    (RFC 6350 §3.2). vobject folds at 75 characters (a line of accents or ideographs comes
    out longer) and never folds PHOTO (for a 2000s Apple bug): its output is refolded by
    icalendar, whose content lines follow the same rule (RFC 5545 §3.1)."""
    # imported on use, not at the top: keeps it off the start-up path
    from icalendar.parser import Contentlines

    lines = Contentlines.from_ical(card.serialize())  # type: ignore[no-untyped-call]
    return str(lines.to_ical().decode("utf-8"))


# --- CSV ---------------------------------------------------------------------------------------

# How the CSV is written, for the program that reads it:
# - "spreadsheet": Google's headers plus our UID; cells a spreadsheet would run as formulas are
#   guarded with a leading "'"; a UTF-8 BOM so Excel reads the accents.
# - "google": Google Contacts' own headers and labels ("Work", "Mobile"…), values as written
#   (Google does not run formulas: "+33 6…" stays a number, not "'+33 6…"); no BOM.
# - "outlook": Outlook's headers ("E-mail Address", "Mobile Phone", "Business Street"…), its
#   fixed slots (what has no slot goes to the notes, never dropped); categories separated by
#   ";"; a UTF-8 BOM (Outlook for Windows reads a file without one in the ANSI code page).
# CM Planner's import reads all three back (csv_files recognises each program's headers).
DIALECTS = ("spreadsheet", "google", "outlook")
DEFAULT_BOM = {"spreadsheet": True, "google": False, "outlook": True}


def escape_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _google_label(label: str) -> str:
    return GOOGLE_LABELS.get(label, label)


def _labelled(kind: str, label: str, value: str) -> str:
    """A value kept in the notes for want of a column: "Phone (work): +33 1…" (the label
    in the interface language when it is one of ours: "work" → « travail »)."""
    if label:
        return _("{kind} ({label}): {value}").format(kind=kind, label=_(label), value=value)
    return _("{kind}: {value}").format(kind=kind, value=value)


def _numbered(
    cards: Sequence[ContactData], label: Callable[[str], str]
) -> tuple[list[str], list[list[str]]]:
    """Google's numbered groups of columns ("E-mail 2 - Value"), as many as the cards need:
    the headers, and each card's cells."""
    emails = max([len(c.emails) for c in cards] + [1])
    phones = max([len(c.phones) for c in cards] + [1])
    addresses = max([len(c.addresses) for c in cards] + [1])
    headers: list[str] = []
    for n in range(1, emails + 1):
        headers += [f"E-mail {n} - Label", f"E-mail {n} - Value"]
    for n in range(1, phones + 1):
        headers += [f"Phone {n} - Label", f"Phone {n} - Value"]
    for n in range(1, addresses + 1):
        headers += [
            f"Address {n} - {part}"
            for part in ("Label", "Street", "City", "Region", "Postal Code", "Country")
        ]
    rows = []
    for c in cards:
        row: list[str] = []
        for n in range(emails):
            row += [label(c.emails[n].label), c.emails[n].value] if n < len(c.emails) else [""] * 2
        for n in range(phones):
            row += [label(c.phones[n].label), c.phones[n].value] if n < len(c.phones) else [""] * 2
        for n in range(addresses):
            if n < len(c.addresses):
                a = c.addresses[n]
                row += [label(a.label), a.street, a.city, a.region, a.postal_code, a.country]
            else:
                row += [""] * 6
        rows.append(row)
    return headers, rows


def _anniversary(c: ContactData) -> list[str]:
    """Google's "Event 1" pair of columns, for the anniversary."""
    return ["Anniversary", c.anniversary] if c.anniversary else ["", ""]


def _spreadsheet_rows(cards: Sequence[ContactData]) -> list[list[str]]:
    """Google's headers (so every program recognises them), every organization, our UID."""
    groups, cells = _numbered(cards, str)
    organizations = max([len(c.affiliations) for c in cards] + [1])
    headers = ["Name", "Name Prefix", "First Name", "Last Name", "Name Suffix", "Nickname"]
    headers += ["Birthday", "Event 1 - Label", "Event 1 - Value", *groups]
    for n in range(1, organizations + 1):
        headers += [
            f"Organization {n} - Name",
            f"Organization {n} - Title",
            f"Organization {n} - Department",
        ]
    rows = [[*headers, "Labels", "Notes", "UID"]]
    for c, numbered in zip(cards, cells, strict=True):
        row = [c.formatted_name, c.name_prefix, c.given_name, c.family_name, c.name_suffix]
        row += [c.nickname, c.birthday, *_anniversary(c), *numbered]
        for n in range(organizations):
            if n < len(c.affiliations):
                link = c.affiliations[n]
                row += [link.organization, link.role, link.department]
            else:
                row += ["", "", ""]
        row += [GOOGLE_SEPARATOR.join(c.tags), c.notes, c.uid or ""]
        rows.append([escape_cell(cell) for cell in row])
    return rows


def _google_rows(cards: Sequence[ContactData]) -> list[list[str]]:
    """Google Contacts' current template: one organization (the others go to the notes),
    Google's own labels, "* myContacts" first among the labels as Google writes it."""
    groups, cells = _numbered(cards, _google_label)
    rows = [
        [
            "Name Prefix",
            "First Name",
            "Last Name",
            "Name Suffix",
            "Nickname",
            "Birthday",
            "Organization Name",
            "Organization Title",
            "Organization Department",
            "Notes",
            "Labels",
            "Event 1 - Label",
            "Event 1 - Value",
            *groups,
        ]
    ]
    for c, numbered in zip(cards, cells, strict=True):
        first = c.affiliations[0] if c.affiliations else None
        extra = [_labelled(_("Organization"), a.role, a.organization) for a in c.affiliations[1:]]
        rows.append(
            [
                c.name_prefix,
                c.given_name,
                c.family_name,
                c.name_suffix,
                c.nickname,
                c.birthday,
                first.organization if first else "",
                first.role if first else "",
                first.department if first else "",
                "\n".join(p for p in (c.notes, *extra) if p),
                GOOGLE_SEPARATOR.join(("* myContacts", *c.tags)),
                *_anniversary(c),
                *numbered,
            ]
        )
    return rows


# Outlook's address columns: "Business Street"…, by our label; "Other" takes any label.
_OUTLOOK_ADDRESSES = (("work", "Business"), ("home", "Home"), ("other", "Other"))
_OUTLOOK_ADDRESS_PARTS = (
    ("street", "Street"),
    ("city", "City"),
    ("region", "State"),
    ("postal_code", "Postal Code"),
    ("country", "Country/Region"),
)
# Phone slots by our label, first free one wins; "Other Phone" takes any label.
_OUTLOOK_PHONES = {
    "work": ("Business Phone", "Business Phone 2"),
    "home": ("Home Phone", "Home Phone 2"),
    "mobile": ("Mobile Phone",),
    "work fax": ("Business Fax",),
    "home fax": ("Home Fax",),
    "fax": ("Other Fax",),
    "pager": ("Pager",),
}
_OUTLOOK_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
# Outlook's columns, in the order Outlook writes them (the ones CM Planner fills).
OUTLOOK_HEADERS = (
    "Title",
    "First Name",
    "Last Name",
    "Suffix",
    "Nickname",
    "Company",
    "Department",
    "Job Title",
    *(f"{place} {part}" for _l, place in _OUTLOOK_ADDRESSES for _f, part in _OUTLOOK_ADDRESS_PARTS),
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Anniversary",
    "Birthday",
    "Categories",
    *_OUTLOOK_EMAILS,
    "Notes",
)


def _outlook_row(c: ContactData) -> list[str]:
    cells = {"First Name": c.given_name, "Last Name": c.family_name, "Nickname": c.nickname}
    cells["Title"], cells["Suffix"] = c.name_prefix, c.name_suffix
    extra: list[str] = []  # what Outlook has no column left for: kept in the notes
    for column, name, day in (
        ("Birthday", _("Birthday"), c.birthday),
        ("Anniversary", _("Anniversary"), c.anniversary),
    ):
        if day.startswith("--"):  # no year: Outlook's date columns cannot hold it
            extra.append(_labelled(name, "", format_partial_date(day)))
        else:
            cells[column] = day
    for n, link in enumerate(c.affiliations):
        if n == 0:
            cells["Company"], cells["Job Title"] = link.organization, link.role
            cells["Department"] = link.department
        else:
            extra.append(_labelled(_("Organization"), link.role, link.organization))
    for address in c.addresses:
        places = [p for label, p in _OUTLOOK_ADDRESSES if label == address.label] + ["Other"]
        place = next((p for p in places if f"{p} Street" not in cells), None)
        if place is None:
            parts = (address.street, address.postal_code, address.city, address.region)
            text = ", ".join(p for p in (*parts, address.country) if p)
            extra.append(_labelled(_("Address"), address.label, text))
            continue
        for attr, part in _OUTLOOK_ADDRESS_PARTS:
            cells[f"{place} {part}"] = getattr(address, attr)
    for phone in c.phones:
        slots = (*_OUTLOOK_PHONES.get(phone.label, ()), "Other Phone")
        slot = next((s for s in slots if s not in cells), None)
        if slot is None:
            extra.append(_labelled(_("Phone"), phone.label, phone.value))
        else:
            cells[slot] = phone.value
    for n, email in enumerate(c.emails):
        if n < len(_OUTLOOK_EMAILS):
            cells[_OUTLOOK_EMAILS[n]] = email.value
        else:
            extra.append(_labelled(_("E-mail"), email.label, email.value))
    cells["Categories"] = ";".join(c.tags)
    cells["Notes"] = "\n".join(p for p in (c.notes, *extra) if p)
    return [cells.get(h, "") for h in OUTLOOK_HEADERS]


def csv_rows(
    db: Database, ids: Sequence[int] | None, dialect: str = "spreadsheet"
) -> list[list[str]]:
    """The header and a row per contact, as `dialect` writes them (see DIALECTS)."""
    if dialect not in DIALECTS:
        raise CMPlannerError(
            _("Unknown CSV dialect “{dialect}”: use {choices}.").format(
                dialect=dialect, choices=", ".join(DIALECTS)
            )
        )
    cards = [data for data, _updated in _cards(db, ids)]
    if dialect == "outlook":
        return [list(OUTLOOK_HEADERS), *(_outlook_row(c) for c in cards)]
    if dialect == "google":
        return _google_rows(cards)
    return _spreadsheet_rows(cards)


def export_csv(
    db: Database,
    ids: Sequence[int] | None,
    path: Path | str,
    bom: bool | None = None,
    dialect: str = "spreadsheet",
) -> int:
    """Write the contacts to a UTF-8 CSV in `dialect`; `bom` None: the dialect's default
    (DEFAULT_BOM). Returns how many contacts."""
    rows = csv_rows(db, ids, dialect)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    with_bom = DEFAULT_BOM[dialect] if bom is None else bom
    files.write_export(Path(path), (b"\xef\xbb\xbf" if with_bom else b"") + data)
    return len(rows) - 1


# --- writing -----------------------------------------------------------------------------------
