"""QR codes of survey links, as SVG (for print) and PNG (for everything else); segno is pure Python."""

from __future__ import annotations

import io

import segno

SVG_SCALE = 8
PNG_SCALE = 10


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=SVG_SCALE, border=4, title=url, xmldecl=False)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=PNG_SCALE, border=4)
    return buffer.getvalue()
