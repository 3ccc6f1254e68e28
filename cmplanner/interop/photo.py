"""A contact's photo as CM Planner stores it: at most 512 pixels on its longest side.

The contact editor scales a chosen picture down to that size (with Qt); an imported card's
photo is scaled the same way here, with Pillow, so a 10 MB photo from a phone becomes a
JPEG of a few dozen kilobytes — the list, the editor and the exports only ever show it at
that size. A photo already small enough in a format every program reads (JPEG, PNG, GIF)
is kept byte for byte. What cannot be read as a picture, or is too large to be read at all
with bounded memory, is left out and the reason given.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from cmplanner.formats import megabytes
from cmplanner.i18n import _

log = logging.getLogger(__name__)

PHOTO_MAX_SIDE = 512  # pixels on the longest side of a stored photo
JPEG_QUALITY = 88  # as the contact editor saves a chosen photo
# A photo small enough is kept as it came (no loss, no re-encoding).
KEPT_MAX_BYTES = 512 * 1024
_KEPT_FORMATS = {"JPEG", "PNG", "GIF"}
# Beyond these the photo is not read: a camera's largest JPEG is 15-20 MB, and a picture
# that is neither a JPEG (decoded at a reduced scale) nor under 25 megapixels would take
# hundreds of megabytes to decode.
READ_MAX_BYTES = 20_000_000
READ_MAX_PIXELS = 25_000_000


@dataclass(frozen=True)
class StoredPhoto:
    """The photo to store (None when it is left out) and, if so, why."""

    data: bytes | None
    problem: str = ""


def stored_photo(data: bytes) -> StoredPhoto:
    """The photo as CM Planner keeps it: as it is when small enough, else scaled down to
    `PHOTO_MAX_SIDE` as a JPEG; none (and why) when it is not a picture or too large."""
    # imported on use, not at the top: keeps it off the start-up path
    from PIL import Image, ImageOps

    if len(data) > READ_MAX_BYTES:
        return StoredPhoto(
            None,
            _("the photo is {size}; a photo over {limit} is not read").format(
                size=megabytes(len(data)), limit=megabytes(READ_MAX_BYTES)
            ),
        )
    try:
        with warnings.catch_warnings():
            # Our own limit on pixels applies, after a JPEG's reduced decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))  # reads the header only
            width, height = opened.size
            if (
                opened.format in _KEPT_FORMATS
                and max(width, height) <= PHOTO_MAX_SIDE
                and len(data) <= KEPT_MAX_BYTES
            ):
                opened.verify()  # a damaged picture is not kept either
                return StoredPhoto(data)
            if opened.format == "JPEG":  # decoded at 1/2, 1/4 or 1/8 of its size: less memory
                opened.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            if opened.size[0] * opened.size[1] > READ_MAX_PIXELS:
                return _too_many_pixels(width, height)
            image = ImageOps.exif_transpose(opened)  # as the phone held it
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
            if image.mode != "RGB":  # transparency, palette, grey, CMYK: on white, in colour
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, "white")
                image.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except Image.DecompressionBombError:
        return _too_many_pixels(0, 0)
    except Exception:  # a decoder fed a damaged or hostile file raises many kinds; none is ours
        log.debug("photo not read", exc_info=True)
        return StoredPhoto(None, _("the photo is not a picture CM Planner can read"))
    return StoredPhoto(out.getvalue())


def _too_many_pixels(width: int, height: int) -> StoredPhoto:
    limit = READ_MAX_PIXELS // 1_000_000
    if not width:
        why = _("the photo has over {limit} megapixels and is not read").format(limit=limit)
    else:
        why = _(
            "the photo is {width} × {height} pixels; one over {limit} megapixels is not read"
        ).format(width=width, height=height, limit=limit)
    return StoredPhoto(None, why)
