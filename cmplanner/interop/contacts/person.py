"""Everything held about one person in one file, for their right of access: a .zip with the
JSON of every row about them (cmplanner.services.privacy.person_data) and their vCard."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from cmplanner.interop.contacts.export import export_vcard
from cmplanner.services.privacy import person_data
from cmplanner.storage import Database, files


def export_person(db: Database, contact_id: int, path: Path) -> Path:
    """Write a .zip with `<name>.json` (everything) and `<name>.vcf` (the card)."""
    data = person_data(db, contact_id)
    path = Path(path)
    if path.suffix.lower() != ".zip":
        path = path.with_suffix(".zip")
    stem = "".join(ch if ch.isalnum() else "-" for ch in data["summary"]["display_name"]).strip("-")
    stem = stem or f"contact-{contact_id}"
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as work:
        card = Path(work) / f"{stem}.vcf"
        export_vcard(db, [contact_id], card)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(
                f"{stem}.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
            )
            bundle.write(card, card.name)
    files.write_atomic(path, buffer.getvalue())
    return path
