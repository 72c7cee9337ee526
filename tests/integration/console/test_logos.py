"""Logo uploads: PNG and JPEG proven by their content and re-encoded, SVG only when it is plain XML without
script, event handlers, foreign objects or references to other files; anything else refused with a message next
to the field, and the organisation's logo left as it was."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from servicescore.db.logos import LOGO_MAX_BYTES, LogoRejected, checked_logo
from servicescore.db.tables import AuditEvent, Organisation
from tests.support.console_world import Client, World, field_error, in_app, log_in, post_form, soup

pytestmark = pytest.mark.anyio

SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 40 20">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#7a2e1f"/></linearGradient></defs>'
    b'<rect width="40" height="20" fill="url(#g)"/><use xlink:href="#g"/><title>Zorn</title></svg>'
)


def png(width: int = 64, height: int = 32) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (122, 46, 31, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Spårbar kamera"  # Make
    Image.new("RGB", (40, 40), (10, 80, 160)).save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<!doctype html><html><script>alert(1)</script></html>", "wrong_type"),  # HTML is not an SVG
        (b"<html><body><svg><script>alert(1)</script></svg></body></html>", "wrong_type"),
        (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "unreadable"),  # HTML behind a PNG signature
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
         b'<image x:href="https://evil.example/t.png"/></svg>', "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>', "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>',
         "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/x)"/></svg>',
         "unsafe_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
         "unsafe_svg"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
         b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "bad_svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "bad_svg_at"),
        (b"GIF89a\x01\x00\x01\x00", "wrong_type"),
        (b"%PDF-1.7 not a logo", "wrong_type"),
        (b"x" * (LOGO_MAX_BYTES + 1), "too_large"),
    ],
    ids=["html", "html-with-svg", "html-as-png", "script", "onload", "foreign-object", "external-image",
         "javascript-link", "css-import", "css-url", "set-href", "entities", "broken-xml", "gif", "pdf", "too-large"],
)  # fmt: skip
def test_unsafe_or_unreadable_logos_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(LogoRejected) as refused:
        checked_logo(data)
    assert refused.value.reason == reason


def svg(inner: str, **attributes: str) -> bytes:
    extra = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f'<svg xmlns="http://www.w3.org/2000/svg"{extra}>{inner}</svg>'.encode()


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (svg(r"<style>rect { fill: \75 rl(https://evil.example/s) }</style><rect/>"),
         "<style>: url(https://evil.example/s)"),
        (svg(r'<rect style="fill: \75 rl(https://evil.example/a)"/>'), "style: url(https://evil.example/a)"),
        (svg(r'<style>@\69mport "https://evil.example/i.css";</style>'), "<style>: @import"),
        (svg('<style>rect { fill: image-set("https://evil.example/set.png" 1x) }</style>'), "<style>: image-set()"),
        (svg('<rect fill="\\75 rl(https://evil.example/f)"/>'), "fill: url(https://evil.example/f)"),
        (svg("<style>@font-face { font-family: x; src: local(x) }</style>"), "<style>: @font-face"),
        (svg('<style>rect { fill: url("https://evil.example/q") }</style>'), '<style>: url("https://evil.example/q")'),
    ],
    ids=["escaped-url-in-style", "escaped-url-in-attribute", "escaped-import", "image-set", "escaped-url-in-fill",
         "font-face", "quoted-url"],
)  # fmt: skip
def test_css_that_could_fetch_is_refused_as_a_browser_reads_it(data: bytes, detail: str) -> None:
    with pytest.raises(LogoRejected) as refused:
        checked_logo(data)
    assert refused.value.reason == "unsafe_svg"
    assert refused.value.detail == detail


def test_a_style_with_elements_inside_is_refused() -> None:
    """A browser reads the text after a child element too (here an @import): such a style is refused whole."""
    with pytest.raises(LogoRejected) as refused:
        checked_logo(svg('<style>rect { fill: red }<g/>@import "https://evil.example/tail.css";</style>'))
    assert refused.value.reason == "style_elements"


@pytest.mark.parametrize(
    ("data", "reason", "detail", "where"),
    [
        # url( starts at character 67 of the file: 40 for <svg …>, 7 for <style>, 19 for "rect { background: ".
        (svg("<style>rect { background: url(https://evil.example/bad url) }</style>"), "bad_css_url", "", (1, 67)),
        # Inside CDATA the CSS starts 9 characters later; the quote opening "Zorn is never closed.
        (svg('<style><![CDATA[rect { font-family: "Zorn }]]></style>'), "bad_css_string", "", (1, 77)),
        (svg("\n<style>\nrect {\n  fill: red )\n}\n</style>"), "bad_css_bracket", ")", (4, 13)),
        (svg("<style>rect { fill: red }\n}</style>"), "bad_css_syntax", "", (2, 1)),  # the } itself
        # expat gives no position inside an attribute: the element's start tag on line 2, character 3
        (svg('\n  <rect style="fill: red; }"/>'), "bad_css_syntax", "", (2, 3)),
    ],
    ids=["bad-url", "open-string", "stray-bracket", "stray-brace", "in-attribute"],
)  # fmt: skip
def test_unreadable_css_is_refused_with_what_and_where_in_the_file(
    data: bytes, reason: str, detail: str, where: tuple[int, int]
) -> None:
    """The CSS parser's English message ("CSS that cannot be read (bad URL token)") used to be the detail; now the
    kind of mistake is a reason the page words, and its place is the file's line and character."""
    with pytest.raises(LogoRejected) as refused:
        checked_logo(data)
    assert (refused.value.reason, refused.value.detail, refused.value.where) == (reason, detail, where)


def test_a_logo_styled_without_outside_references_is_kept() -> None:
    styled = svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#7a2e1f"/></linearGradient></defs>'
        "<style>/* brand */ .a { fill: url(#g); stroke: rgb(10 20 30 / 50%); } "
        '@media (max-width: 100px) { .a { fill: url("#g") } } text { font-family: "Zorn Serif", serif }</style>'
        '<rect class="a" width="40" height="20" transform="rotate(3) translate(1, 2)" '
        'style="opacity: calc(1 - 0.2); fill: hsl(10 60% 30%)"/><text>Zorn</text>',
        viewBox="0 0 40 20",
    )
    assert checked_logo(styled).data == styled


def test_safe_logos_are_kept_and_photos_lose_their_metadata() -> None:
    svg = checked_logo(SAFE_SVG)
    assert svg.content_type == "image/svg+xml"
    assert svg.data == SAFE_SVG
    jpeg = checked_logo(jpeg_with_exif())
    assert jpeg.content_type == "image/jpeg"
    assert b"Sp\xc3\xa5rbar" not in jpeg.data
    with Image.open(io.BytesIO(jpeg.data)) as image:
        assert image.size == (40, 40)
        assert not image.getexif()
    assert checked_logo(png()).content_type == "image/png"  # transparency kept


async def stored_logo(world: World) -> str:
    row = await Organisation.select(Organisation.logo_sha256).where(Organisation.id == world.organisation_id).first()
    assert row is not None
    return str(row["logo_sha256"])


async def test_a_logo_upload_is_stored_by_hash_and_shown(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    answer = await post_form(client, f"{path}/logo", {}, {"logo": ("zorn.png", png(), "image/png")}, form_page=path)
    assert answer.status_code == 303
    sha256 = await in_app(client, stored_logo, world)
    shown = await client.get(f"{path}/logo")
    assert shown.headers["content-type"] == "image/png"
    assert hashlib.sha256(shown.content).hexdigest() == sha256
    assert (client.app.state.settings.data_dir / "logos" / sha256).is_file()
    image = soup(await client.get(path)).find("figure", class_="logo-preview").find("img")
    assert image["alt"] == "Logotyp för Zorngården"
    svg = await post_form(client, f"{path}/logo", {}, {"logo": ("zorn.svg", SAFE_SVG, "image/svg+xml")},
                          form_page=path)  # fmt: skip
    assert svg.status_code == 303
    shown = await client.get(f"{path}/logo")
    assert shown.content == SAFE_SVG
    assert "sandbox" in shown.headers["content-security-policy"]
    events = await in_app(client, lambda: AuditEvent.select(AuditEvent.detail).where(
        AuditEvent.action == "organisation.logo"))  # fmt: skip
    assert len(events) == 2


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("logo.png", b"<html><body><script>alert(1)</script></body></html>", 400, "ingen PNG-, JPEG- eller SVG-bild"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 400, "<script>"),
        ("logo.pdf", b"%PDF-1.4", 400, "ingen PNG-, JPEG- eller SVG-bild"),
        ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * LOGO_MAX_BYTES, 413, "för stor; högst 1\u00a0MB."),
        ("empty.png", b"", 400, "tom"),
        # Where broken XML is, in the page's words (it was the parser's English: "unclosed token: line 1, column 40")
        (
            "broken.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
            400,
            "inte giltig XML: felet står på rad 1, tecken 41.",  # <rect begins at character 41 (expat: column 40)
        ),
        # CSS that cannot be read, in the page's words (it was tinycss2's English: "CSS that cannot be read (bad
        # URL token)")
        (
            "broken-css.svg",
            svg("<style>rect {\n  background: url(https://evil.example/bad url) }</style>"),
            400,
            "CSS-koden i SVG-filen går inte att läsa: en url(…) är felskriven eller avslutas aldrig. Felet står på "
            "rad 2, tecken 15.",
        ),
    ],
    ids=["html-as-png", "svg-script", "pdf", "oversized", "empty", "broken-svg", "broken-css"],
)
async def test_a_refused_logo_changes_nothing(  # noqa: PLR0917 (parametrized)
    client: Client, world: World, name: str, data: bytes, status: int, message: str
) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    answer = await post_form(client, f"{path}/logo", {}, {"logo": (name, data, "image/png")}, form_page=path)
    assert answer.status_code == status
    assert message in field_error(answer, "logo", "logo")
    assert await in_app(client, stored_logo, world) == ""
    assert (await client.get(f"{path}/logo")).status_code == 404
    assert not (client.app.state.settings.data_dir / "logos").exists()


async def test_unreadable_css_is_explained_in_english_on_an_english_page(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    data = svg('<style><![CDATA[rect { font-family: "Zorn }]]></style>')
    answer = await post_form(client, f"{path}/logo?lang=en", {}, {"logo": ("zorn.svg", data, "image/svg+xml")},
                             form_page=f"{path}?lang=en")  # fmt: skip
    assert answer.status_code == 400
    assert field_error(answer, "logo", "logo") == (
        "The CSS in the SVG file cannot be read: a quoted text is never closed. The error is on line 1, character 77."
    )


async def test_a_logo_for_an_unknown_organisation_is_404(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    answer = await post_form(client, "/console/organisations/999999/logo", {},
                             {"logo": ("zorn.png", png(), "image/png")}, form_page=path)  # fmt: skip
    assert answer.status_code == 404
    assert not (client.app.state.settings.data_dir / "logos").exists()


async def test_the_list_says_which_logo_the_reports_carry(client: Client, world: World) -> None:
    """An organisation with a brand folder carries the brand's logo although none was uploaded (the demo's
    Zorngården: its PDFs show the logo while the list said "–")."""

    async def brand_zorngarden() -> None:
        await Organisation.update({Organisation.brand: "zorngarden"}).where(Organisation.slug == "zorngarden")

    await in_app(client, brand_zorngarden)
    await log_in(client)

    def logos(response: object) -> dict[str, str]:
        rows = soup(response).find_all("tr", attrs={"data-organisation": True})  # type: ignore[arg-type]
        return {
            row["data-organisation"]: row.find("td", attrs={"data-logo": True}).get_text(strip=True) for row in rows
        }

    assert logos(await client.get("/console/organisations?lang=sv")) == {
        "carl-larssons-gard": "–", "zorngarden": "Varumärkets logotyp (zorngarden)",
    }  # fmt: skip
    path = f"/console/organisations/{world.organisation_id}"
    uploaded = await post_form(client, f"{path}/logo", {}, {"logo": ("zorn.png", png(), "image/png")}, form_page=path)
    assert uploaded.status_code == 303
    assert logos(await client.get("/console/organisations?lang=en"))["zorngarden"] == "Logo uploaded"
