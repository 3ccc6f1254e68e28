"""The handover pack: a folder (or a .zip) for the CM taking over a community — its dossier
(PDF), its upcoming events (.ics) and its contacts (.vcf)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from cmplanner import clock
from cmplanner.documents import dossier
from cmplanner.errors import ExportFailed, ValidationError
from cmplanner.i18n import _
from cmplanner.interop.contacts.export import organization_ids, vcard_text
from cmplanner.interop.ics.export import build_calendar, load_events, serialize
from cmplanner.services.communities import get_community
from cmplanner.storage import Database
from cmplanner.storage.files import write_export


def pack_files(db: Database, community_id: int) -> dict[str, bytes]:
    """The pack's files by name: dossier.pdf, always; events.ics when an event is coming;
    contacts.vcf when the community has members: each member once (whatever their roles),
    after the organization cards of the dossier's key partners and of the members' own
    organizations."""
    gathered = dossier.gather(db, community_id)
    files = {_("dossier") + ".pdf": dossier.layout(gathered)}
    now = clock.now_utc()
    events = load_events(
        db, community=community_id, start=now, end=now + dt.timedelta(days=366), guests=False
    )
    if events:
        files[_("upcoming-events") + ".ics"] = serialize(build_calendar(events))
    people = list(dict.fromkeys(m.contact_id for m in get_community(db, community_id).members))
    if people:
        partners = [p.organization_id for p in gathered.partners]
        organizations = list(dict.fromkeys([*partners, *organization_ids(db, people)]))
        text, _count = vcard_text(db, people, organizations)
        files[_("contacts") + ".vcf"] = text.encode("utf-8")
    return files


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ValidationError(
            _("{path} is a file: choose a new folder for the handover pack.").format(path=folder)
        )
    if folder.is_dir() and any(folder.iterdir()):
        raise ValidationError(
            _("The folder {path} is not empty: choose a new or an empty folder.").format(
                path=folder
            )
        )


def write_pack(db: Database, community_id: int, folder: Path | str) -> list[Path]:
    """Write the pack into `folder` (made, but not the folders above it; an existing one must
    be empty, nothing in it is ever replaced). Returns the files written."""
    target = Path(folder)
    _check_folder(target)
    files = pack_files(db, community_id)  # everything built before anything is written
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportFailed(
            _("Cannot create the folder {path}: {error}").format(
                path=target, error=exc.strerror or exc
            )
        ) from exc
    written = []
    for name, data in files.items():
        write_export(target / name, data)
        written.append(target / name)
    return written


def write_zip(db: Database, community_id: int, path: Path | str) -> Path:
    """The pack as one .zip file (written atomically)."""
    target = Path(path)
    if target.suffix.lower() != ".zip":
        target = target.with_suffix(".zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in pack_files(db, community_id).items():
            archive.writestr(name, data)
    write_export(target, buffer.getvalue())
    return target
