"""``/console/outbox``: the messages written to the outbox folder when no SMTP server is configured, newest first,
each readable as plain text and downloadable as its ``.eml`` file."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from servicescore.mail.outbox import outbox_entries, outbox_file, read_entry
from servicescore.settings import Settings
from servicescore.web.pages import AnyRequest, page


@get("/outbox")
async def list_outbox(request: AnyRequest, settings: NamedDependency[Settings]) -> Template:
    return page(request, "console/outbox.html", entries=outbox_entries(settings.outbox_dir),
                smtp=bool(settings.smtp_url.get_secret_value()))  # fmt: skip


@get("/outbox/{name:str}")
async def show_message(request: AnyRequest, name: FromPath[str], settings: NamedDependency[Settings]) -> Template:
    path = outbox_file(settings.outbox_dir, name)
    if path is None:
        raise NotFoundException()
    return page(request, "console/outbox_message.html", entry=read_entry(path))


@get("/outbox/{name:str}/eml")
async def download_message(name: FromPath[str], settings: NamedDependency[Settings]) -> Response[bytes]:
    path = outbox_file(settings.outbox_dir, name)
    if path is None:
        raise NotFoundException()
    return Response(path.read_bytes(), media_type="message/rfc822",
                    headers={"content-disposition": f'attachment; filename="{name}"'})  # fmt: skip


HANDLERS = [list_outbox, show_message, download_message]
