"""Photo evidence: the type checked by content, a pixel limit before decoding, and a re-encoded copy without
EXIF (so no GPS position, camera serial or time stamp leaves the phone in the stored file)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Refuse before decoding: a small file can unpack to gigabytes (a "zip bomb" for images).
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048  # what a consultant needs to read a receipt; phones resize to this before sending
JPEG_QUALITY = 85
MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


class PhotoRejected(ValueError):
    """Not a photo we keep; the message says why, for the shopper."""


@dataclass(frozen=True, slots=True)
class Photo:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    """What an Attachment row records of the stored (re-encoded) copy, not of what the phone sent."""

    content_type: str
    size: int
    width: int
    height: int


def describe(data: bytes) -> StoredPhoto:
    """Type, bytes and pixels of a stored copy; reads the header only (the copy was checked when stored)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError) as error:
        raise PhotoRejected(f"the stored copy cannot be read: {error}") from None
    return StoredPhoto(sniff(data) or "application/octet-stream", len(data), width, height)


def sniff(data: bytes) -> str | None:
    """The content type the first bytes prove, whatever the request claimed."""
    for magic, content_type in MAGIC:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def reencode(data: bytes) -> Photo:
    if sniff(data) is None:
        raise PhotoRejected("not a JPEG, PNG or WebP image (checked by content, not by name)")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(f"{width}×{height} pixels is more than the {MAX_PIXELS:,} allowed")
            image.load()
            upright = ImageOps.exif_transpose(image)
            keeps_transparency = upright.mode in {"RGBA", "LA", "P"} and sniff(data) == "image/png"
            upright = upright.convert("RGBA" if keeps_transparency else "RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if keeps_transparency:
                upright.save(out, format="PNG", optimize=True)
                content_type = "image/png"
            else:
                upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                content_type = "image/jpeg"
            return Photo(out.getvalue(), content_type, upright.width, upright.height)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoRejected):
            raise
        raise PhotoRejected(f"the image cannot be read: {error}") from None
