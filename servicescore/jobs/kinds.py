"""Every kind of job a worker runs, and the periodic jobs: importing this module registers them (`registry`).

A periodic job is one line here: ``periodic(kind, schedule, function)``.
"""

from __future__ import annotations

from servicescore.jobs import reports  # noqa: F401 - registers the report job kind
from servicescore.jobs.registry import EVERY_MINUTE, periodic
from servicescore.mail.round import run_mail_round

# Invitations, reminders, bounces and alerts: every minute, planned and sent by whichever worker's scheduler stores
# the minute first (serve and demo run one themselves unless SERVICESCORE_QUEUE_IN_PROCESS=false).
periodic("mail-round", EVERY_MINUTE, run_mail_round)
