"""vCard lines folded at 75 octets (RFC 6350 §3.2), counted in UTF-8 bytes, never inside a
character — the photo's too; what is folded reads back the same, in CM Planner, vobject and
khard."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import pytest
import vobject
from khard.address_book import VdirAddressBook
from PIL import Image

from cmplanner.interop.contacts.export import export_vcard
from cmplanner.interop.contacts.parse import parse_file
from cmplanner.services import contacts
from cmplanner.services.contact_data import AddressData, AffiliationData, ContactData, Labelled
from cmplanner.storage import Database


def _noise_png() -> bytes:
    """A real PNG of noise (it does not compress): some 3,600 bytes, 40 × 30 pixels."""
    image = Image.frombytes("RGB", (40, 30), (hashlib.sha512(b"cmplanner").digest() * 57)[:3600])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# A photo small enough to be kept as it is: its bytes must come back exactly, not re-encoded.
PHOTO = _noise_png()
NOTES = (
    "Rencontrée au forum des associations — très motivée pour l'atelier vélo. "
    "写真は週末に撮った。会議の後で王さんと話す予定です。"
    " Ἐν ἀρχῇ ἦν ὁ λόγος; 🚲🎉 ça roule !\nDeuxième ligne, avec « guillemets »."
)
CARDS = [
    ContactData(
        given_name="小明小明小明小明小明小明小明小明小明小明小明",  # 33 bytes a name part
        family_name="王",
        nickname="Ξένια",
        emails=(Labelled("wang.xiaoming@exemple-de-domaine-assez-long.example.org", "work"),),
        phones=(Labelled("+33 6 12 34 56 78", "mobile"),),
        addresses=(
            AddressData("home", "12 rue de l'Église Saint-Étienne-du-Mont", "69001", "Lyon"),
        ),
        affiliations=(AffiliationData("Fédération française des usagers de la bicyclette"),),
        tags=("vélo, rando", "bénévoles", "présidence du conseil d'administration"),
        notes=NOTES,
        photo=PHOTO,
    ),
    ContactData(given_name="Zoé", family_name="Zimmer", notes="é" * 200),
]


@pytest.fixture
def exported(empty_db: Database, tmp_path: Path) -> dict[str, bytes]:
    ids = [contacts.create_contact(empty_db, card)[0] for card in CARDS]
    out = {}
    for version in ("4.0", "3.0"):
        path = tmp_path / f"book-{version}.vcf"
        export_vcard(empty_db, ids, path, version)
        out[version] = path.read_bytes()
    return out


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_every_line_is_at_most_75_octets_and_whole_characters(
    exported: dict[str, bytes], version: str
) -> None:
    raw = exported[version]
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a multibyte character is never cut across two lines
    photo = [n for n, line in enumerate(lines) if line.startswith(b"PHOTO")]
    assert photo and lines[photo[0] + 1].startswith(b" ")  # the photo is folded too
    assert sum(line.startswith(b" ") for line in lines) > len(PHOTO) * 4 // 3 // 75


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_what_is_folded_reads_back_the_same(
    exported: dict[str, bytes], version: str, tmp_path: Path
) -> None:
    unfolded = re.sub(r"\r\n[ \t]", "", exported[version].decode("utf-8"))
    assert (
        "小明小明小明小明小明小明小明小明小明小明小明" in unfolded and "🚲🎉 ça roule" in unfolded
    )
    path = tmp_path / "book.vcf"
    path.write_bytes(exported[version])
    first, second = (item.data for item in parse_file(path).items)
    assert isinstance(first, ContactData) and isinstance(second, ContactData)
    assert first.photo == PHOTO  # byte for byte
    assert first.notes == NOTES and second.notes == "é" * 200
    assert first.given_name == CARDS[0].given_name
    assert sorted(first.tags) == sorted(CARDS[0].tags)
    assert first.addresses == CARDS[0].addresses


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vobject_reads_the_file(exported: dict[str, bytes], version: str) -> None:
    first, second = vobject.readComponents(exported[version].decode("utf-8"))
    assert first.fn.value == "王" + CARDS[0].given_name
    assert first.note.value == NOTES and second.note.value == "é" * 200
    if version == "3.0":
        assert first.photo.value == PHOTO  # ENCODING=b, decoded by vobject
    else:
        # vobject cuts a 4.0 data URI at its comma (CM Planner's import converts it first);
        # the URI itself, unfolded, holds the photo.
        (line,) = [
            p
            for p in exported[version].decode().replace("\r\n ", "").split("\r\n")
            if p.startswith("PHOTO:")
        ]
        assert base64.b64decode(line.partition(",")[2]) == PHOTO


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_khard_reads_the_file(exported: dict[str, bytes], version: str, tmp_path: Path) -> None:
    folder = tmp_path / "khard"
    folder.mkdir()
    cards = exported[version].decode("utf-8").split("END:VCARD\r\n")[:-1]
    for n, card in enumerate(cards):
        (folder / f"{n}.vcf").write_text(card + "END:VCARD\r\n", encoding="utf-8", newline="")
    book = VdirAddressBook("test", str(folder))
    book.load()
    by_name = {c.formatted_name: c for c in book.contacts.values()}
    first = by_name["王" + CARDS[0].given_name]
    assert sorted(first.categories) == sorted(CARDS[0].tags)
    assert first.vcard.note.value == NOTES
    assert by_name["Zoé Zimmer"].vcard.note.value == "é" * 200
