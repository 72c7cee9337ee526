"""Every kind of job a worker runs, and the periodic jobs: importing this module registers them (`registry`).

A periodic job is one line here: ``periodic(kind, schedule, function)``.
"""

from __future__ import annotations

from servicescore.jobs import reports  # noqa: F401 - registers the report job kind
from servicescore.jobs.mail import mail_round
from servicescore.jobs.registry import EVERY_MINUTE, EVERY_TEN_MINUTES, EVERY_TEN_MINUTES_FROM_FIVE, periodic
from servicescore.jobs.snapshot import dashboards_warm, snapshot_upkeep

# Invitations, reminders, bounces and alerts: every minute, planned by whichever worker's scheduler stores the minute
# first, and sent by send jobs that any worker runs (serve and demo run them themselves unless
# SERVICESCORE_QUEUE_IN_PROCESS=false).
periodic("mail-round", EVERY_MINUTE, mail_round)

# The analytics snapshot's compaction, vacuum and change-log pruning, off every reader's path: every ten minutes.
periodic("snapshot-upkeep", EVERY_TEN_MINUTES, snapshot_upkeep)

# The dashboards' tables scored off the request path, so that the first page after many new responses reads kept
# tables (10 s → 0.9 s at 1M responses): every ten minutes, five minutes after the upkeep.
periodic("dashboards-warm", EVERY_TEN_MINUTES_FROM_FIVE, dashboards_warm)
