"""Typed settings, read once from the environment (prefix ``SERVICESCORE_``)."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def _default_folder(name: str) -> Path:
    """The checkout's top-level folder when running from source, else the copy shipped in the wheel."""
    in_checkout = CHECKOUT_DIR / name
    if in_checkout.is_dir() and (CHECKOUT_DIR / "pyproject.toml").is_file():
        return in_checkout
    return PACKAGE_DIR / "_defaults" / name


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SERVICESCORE_", frozen=True)

    data_dir: Path = Path("servicescore-data")
    # Where uploaded files, the report cache and the snapshot live (servicescore/storage.py): "" = the data dir;
    # s3://bucket/prefix = a bucket shared by every process (credentials from the AWS_* variables); file:///abs/path
    storage_url: str = ""
    database_url: str = ""
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    allowed_hosts: list[str] = ["127.0.0.1", "localhost", "testserver"]
    surveys_dir: Path = Field(default_factory=lambda: _default_folder("surveys"))
    reports_dir: Path = Field(default_factory=lambda: _default_folder("reports"))
    templates_dir: Path = Field(default_factory=lambda: _default_folder("templates"))
    demo_password: SecretStr | None = None
    secure_cookies: bool = False
    min_group_size: int = Field(default=5, ge=3)
    session_hours: int = Field(default=12, gt=0)
    login_attempts: int = Field(default=5, gt=0)
    login_lockout_minutes: int = Field(default=15, gt=0)
    visit_rotation_days: int = Field(default=90, ge=0)  # a shopper returns to a unit only after this
    attachment_max_bytes: int = Field(default=15_000_000, gt=0)
    queue_url: str = (
        ""  # the job queue's broker: "" = huey's SQLite storage in the data dir; redis://… for many machines
    )
    queue_in_process: bool = True  # serve, demo and `report --all` run a consumer themselves; false with `worker`s
    job_attempts: int = Field(default=5, ge=1)  # tries of a job before it is failed with the last reason
    job_retry_seconds: float = Field(default=30.0, gt=0)  # wait before the first retry; doubled for each next one
    job_heartbeat_seconds: float = Field(default=10.0, gt=0)  # a running job's heartbeat; 3 missed = its worker died
    # E-mail (servicescore.mail): without an SMTP URL every message is written to <data dir>/outbox/ instead
    smtp_url: SecretStr = SecretStr("")  # smtp://user:pass@host:587?starttls=true or smtps://user:pass@host
    mail_from: str = "ServiceScore <servicescore@localhost>"
    base_url: str = "http://127.0.0.1:8000"  # where respondents reach the server: the links in e-mails
    reminder_days: list[int] = [3, 7]  # a new collection's reminders, days after the invitation
    contact_frequency_days: int = Field(default=90, ge=0)  # one invitation per organisation and address per period
    contact_retention_days: int = Field(default=30, ge=0)  # addresses deleted this long after the collection closes
    bounce_maildir: Path | None = None  # a Maildir folder of delivery status notifications, read by each mail round

    @cached_property
    def database(self) -> str:
        """The database URL in force: the explicit one, else SQLite inside the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'servicescore.sqlite3').resolve()}"

    @cached_property
    def queue(self) -> str:
        """The job queue's URL in force: the explicit one, else huey's SQLite storage inside the data dir (a file of
        its own, written through Python's own sqlite3 like the database)."""
        if self.queue_url:
            return self.queue_url
        return f"sqlite:///{(self.data_dir / 'queue.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.database.startswith("sqlite:")

    # The folders below are where the default storage (the data dir) keeps its files; code reads and writes them
    # through `servicescore.storage`, which puts them in a bucket instead when `storage_url` says so.
    @property
    def uploaded_surveys_dir(self) -> Path:
        """Instruments uploaded in the console (key ``surveys/``); on an object store, this machine's copy of them."""
        return self.data_dir / "surveys"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def snapshot_dir(self) -> Path:
        return self.data_dir / "snapshot"

    @property
    def reports_out_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def outbox_dir(self) -> Path:
        """Where messages go as ``.eml`` files when no SMTP server is configured."""
        return self.data_dir / "outbox"


def get_settings() -> Settings:
    return Settings()
