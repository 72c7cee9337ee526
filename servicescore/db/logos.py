"""Organisation logos: checked by content, re-encoded (PNG/JPEG) or proven harmless (SVG), stored once per
SHA-256 under the key ``logos/<sha256>`` of the storage (`servicescore.storage`: the data dir or a bucket).
``Organisation.logo_sha256`` names the file.

A logo is shown on respondents' pages and printed in reports, so an SVG must not carry anything a browser or
WeasyPrint would run or fetch: no script, no event handler, no foreign object, no reference outside the file.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Final
from xml.etree.ElementTree import Element
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from servicescore.db.logo_css import UnreadableCss, declarations_problem, stylesheet_problem, value_problem
from servicescore.storage import Storage
from servicescore.visits.images import PhotoRejected, reencode, sniff

LOGO_MAX_BYTES: Final = 1_000_000
LOGO_MAX_SIDE: Final = 2048
LOGOS_KEPT: Final = 64  # logos kept in memory per process, by hash (never stale): survey and portal pages show them
SVG_NAMESPACE: Final = "{http://www.w3.org/2000/svg}"
SHA256: Final = re.compile(r"[0-9a-f]{64}")
# Elements that run code, embed other documents or pull in HTML; an animation can rewrite an href into script.
_FORBIDDEN_ELEMENTS: Final = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "handler",
        "listener",
        "animate",
        "set",
        "animatemotion",
        "animatetransform",
    }
)
_LINK_ATTRIBUTES: Final = frozenset({"href", "src", "xlink:href"})


class LogoRejected(ValueError):
    """Not a logo we keep. ``reason`` is a key the console translates; ``detail`` what was found (element and
    attribute names, as in the file); ``where`` the line and character (both from 1) of broken XML or unreadable
    CSS, which the page writes in its language (the parsers' own messages are English)."""

    def __init__(self, reason: str, detail: str = "", where: tuple[int, int] | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.where = where


@dataclass(frozen=True, slots=True)
class Logo:
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def checked_logo(data: bytes) -> Logo:
    """The logo to store, or LogoRejected: too large, not PNG/JPEG/SVG by content, unreadable, or an unsafe SVG."""
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRejected("too_large", f"{len(data):,} bytes")
    kind = sniff(data)
    if kind in {"image/png", "image/jpeg"}:
        try:
            photo = reencode(data)
        except PhotoRejected as error:
            raise LogoRejected("unreadable", str(error)) from None
        return Logo(photo.data, photo.content_type)
    if kind is None and _looks_like_xml(data):
        _check_svg(data)
        return Logo(data, "image/svg+xml")
    raise LogoRejected("wrong_type")


def _looks_like_xml(data: bytes) -> bool:
    """Markup that names an ``<svg`` element early on; an HTML page is "not an image", not "a broken SVG"."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<svg" in head


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _check_svg(data: bytes) -> None:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = error.position
        raise LogoRejected("bad_svg_at", where=(line, column + 1)) from None  # expat counts characters from 0
    except (DefusedXmlException, ValueError):
        raise LogoRejected("bad_svg") from None
    if root.tag != f"{SVG_NAMESPACE}svg":
        raise LogoRejected("wrong_type", f"the root element is <{_local(root.tag)}>, not <svg>")
    if b"<?xml-stylesheet" in data:
        raise LogoRejected("unsafe_svg", "xml-stylesheet")
    for index, element in enumerate(root.iter()):
        try:
            _check_style_sheet(element)
        except UnreadableCss as error:
            raise _unreadable(error, _element_positions(data)[index][1]) from None
        try:
            _check_element(element)
        except UnreadableCss as error:  # in a style attribute: placed at its element's start tag
            raise _unreadable(error, _element_positions(data)[index][0], at_tag=True) from None


def _check_style_sheet(element: Element) -> None:
    if _local(str(element.tag)) != "style":
        return
    # A browser reads all the text of <style>, also text after a child element; a logo's style has no children.
    if len(element):
        raise LogoRejected("style_elements")
    if problem := stylesheet_problem(element.text or ""):
        raise LogoRejected("unsafe_svg", f"<style>: {problem}")


def _check_element(element: Element) -> None:
    name = _local(str(element.tag))
    if name in _FORBIDDEN_ELEMENTS:
        raise LogoRejected("unsafe_svg", f"<{name}>")
    for attribute, value in element.attrib.items():
        local = _local(attribute)
        if local.startswith("on"):
            raise LogoRejected("unsafe_svg", f'{local}="…"')
        if local in _LINK_ATTRIBUTES or attribute.endswith("}href"):
            if not value.strip().startswith("#"):
                raise LogoRejected("unsafe_svg", f'href="{value[:60]}"')
        elif problem := (declarations_problem(value) if local == "style" else value_problem(value)):
            raise LogoRejected("unsafe_svg", f"{local}: {problem}")


def _unreadable(error: UnreadableCss, origin: tuple[int, int], *, at_tag: bool = False) -> LogoRejected:
    """The CSS mistake placed in the file: ``origin`` is where the CSS text starts (line from 1, character from
    0); the CSS's own first line continues that line. Expat gives no position of an attribute's value, so a
    mistake in a style attribute is placed at its element's start tag."""
    line, column = origin
    if not at_tag:
        line, column = line + error.line - 1, (column if error.line == 1 else 0) + error.column - 1
    return LogoRejected(f"bad_css_{error.kind}", error.token, where=(line, column + 1))


def _element_positions(data: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where each element's start tag and its first text begin (line from 1, character from 0), in document order
    as ``Element.iter()`` walks them; an element without text gets its start tag's position twice. Read only
    after defusedxml accepted the file (no DTD, no entities), with expat unbuffered so that a text's position is
    its first character's."""
    parser = expat.ParserCreate()
    parser.buffer_text = False
    positions: list[tuple[tuple[int, int], tuple[int, int]]] = []
    open_elements: list[int] = []
    has_text: set[int] = set()

    def start(_name: str, _attributes: dict[str, str]) -> None:
        here = (parser.CurrentLineNumber, parser.CurrentColumnNumber)
        open_elements.append(len(positions))
        positions.append((here, here))

    def end(_name: str) -> None:
        open_elements.pop()

    def text(_data: str) -> None:
        if open_elements and (index := open_elements[-1]) not in has_text and not (index + 1 < len(positions)):
            has_text.add(index)
            positions[index] = (positions[index][0], (parser.CurrentLineNumber, parser.CurrentColumnNumber))

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(data, True)
    return positions


def logo_key(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a lowercase SHA-256")
    return f"logos/{sha256}"


def store_logo(storage: Storage, logo: Logo) -> str:
    """Store the logo under its SHA-256 unless that copy exists; returns the hash."""
    storage.put_once(logo_key(logo.sha256), logo.data)
    return logo.sha256


_kept: dict[tuple[str, str], Logo] = {}
_kept_lock = threading.Lock()


def read_logo(storage: Storage, sha256: str) -> Logo | None:
    """The stored logo and its media type (from its content), or None. A logo found is kept in memory: its name
    is its content's hash, so the kept copy never goes stale; a missing one is asked for again next time."""
    if not SHA256.fullmatch(sha256 or ""):
        return None
    key = (storage.location, sha256)
    if (kept := _kept.get(key)) is not None:
        return kept
    data = storage.get(logo_key(sha256))
    if data is None:
        return None
    logo = Logo(data, sniff(data) or "image/svg+xml")
    with _kept_lock:
        if len(_kept) >= LOGOS_KEPT:
            _kept.clear()
        _kept[key] = logo
    return logo
