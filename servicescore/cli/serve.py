"""``servicescore serve``: the web application under uvicorn.

One worker process: a Python app object cannot be shared by uvicorn's workers. To use more cores or machines, run
several ``serve`` processes (or ``uvicorn --factory servicescore.app:create_app``) behind a load balancer on
PostgreSQL: sessions, lockouts and the CSRF key live in the database and the data dir, not in a process.
"""

from __future__ import annotations

import ipaddress

import click

from servicescore.cli.common import ready
from servicescore.settings import Settings, get_settings

# On SIGTERM uvicorn stops taking connections and lets requests under way finish, for at most this long (a report
# being printed included); then it cancels them. The same grace a worker gives its jobs.
DRAIN_SECONDS = 30


def _every_interface(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a host name
        return host == ""


def served_at(settings: Settings, host: str, port: int) -> Settings:
    """The settings with the links in e-mails and printed lists pointing at this server (``http://host:port``) when
    SERVICESCORE_BASE_URL is not set and the server listens on one address; on every interface (0.0.0.0, ::) no
    address is known to be the respondents', so the setting's default stays."""
    if "base_url" in settings.model_fields_set or _every_interface(host):
        return settings
    address = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL is bracketed
    return settings.model_copy(update={"base_url": f"http://{address}:{port}"})


def serve_app(settings: Settings, host: str, port: int) -> None:
    """Check (and on SQLite migrate) the database first, so a bad URL is one line, not a server traceback; the web
    stack (about 2 s of imports) loads after that check."""
    ready(settings)
    import uvicorn

    from servicescore.app import create_app

    click.echo(f"ServiceScore on http://{host}:{port}/ (Ctrl+C stops)")
    if settings.queue_in_process:
        click.echo("background jobs run in this process (SERVICESCORE_QUEUE_IN_PROCESS=false: `servicescore worker`)")
    app = create_app(settings, run_jobs=settings.queue_in_process)
    uvicorn.run(app, host=host, port=port, workers=1, server_header=False, log_level="info",
                timeout_graceful_shutdown=DRAIN_SECONDS)  # fmt: skip


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the web application in one worker process.

    \b
    In production, behind HTTPS, also set:
      SERVICESCORE_SECURE_COOKIES=true        cookies only over HTTPS, on every host
      SERVICESCORE_ALLOWED_HOSTS='["scores.example.org"]'   the names the site answers to
      SERVICESCORE_SECRET_KEY=...             or the key kept in the database, shared by all processes
    More cores or machines: several serve processes on PostgreSQL behind a load balancer.
    SIGTERM stops taking connections and lets requests under way finish (at most 30 s).
    """
    serve_app(served_at(get_settings(), host, port), host, port)
