"""Every kind of job a worker runs, and the periodic jobs: importing this module registers them (`registry`).

Plug in a periodic job with one line here, e.g. ``periodic("mail-round", EVERY_MINUTE, run_mail_round)``.
"""

from __future__ import annotations

from servicescore.jobs import reports  # noqa: F401 - registers the report job kind
