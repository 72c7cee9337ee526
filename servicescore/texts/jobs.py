"""Interface strings of the background jobs page and the batch reports form (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "jobs.title": {"sv": "Bakgrundsjobb", "en": "Background jobs"},
    "jobs.title.organisation": {"sv": "Bakgrundsjobb för {name}", "en": "Background jobs for {name}"},
    "jobs.intro": {
        "sv": "Arbete som görs i bakgrunden, till exempel rapporter för alla organisationer. Ett jobb som "
        "misslyckas försöks igen med allt längre väntan; efter sista försöket står skälet här.",
        "en": "Work done in the background, such as reports for every organisation. A job that fails is tried again "
        "with longer and longer waits; after the last attempt the reason is shown here.",
    },
    "jobs.empty": {"sv": "Inga bakgrundsjobb ännu.", "en": "No background jobs yet."},
    "jobs.batch": {"sv": "Omgång: {kind}", "en": "Batch: {kind}"},
    "jobs.batch.started": {"sv": "startad nyss", "en": "just started"},
    "jobs.batch.progress": {"sv": "{finished} av {total} klara", "en": "{finished} of {total} finished"},
    "jobs.batch.failed": {"sv": "{n} misslyckades", "en": "{n} failed"},
    "jobs.batch.queued": {"sv": "Lagd i kö {when}", "en": "Queued {when}"},
    "jobs.batch.finished": {"sv": "klar {when}", "en": "finished {when}"},
    "jobs.column.job": {"sv": "Jobb", "en": "Job"},
    "jobs.column.organisation": {"sv": "Organisation", "en": "Organisation"},
    "jobs.column.status": {"sv": "Status", "en": "Status"},
    "jobs.column.progress": {"sv": "Förlopp", "en": "Progress"},
    "jobs.column.attempts": {"sv": "Försök", "en": "Attempts"},
    "jobs.column.created": {"sv": "Skapat", "en": "Created"},
    "jobs.column.detail": {"sv": "Resultat eller skäl", "en": "Result or reason"},
    "jobs.status.queued": {"sv": "I kö", "en": "Queued"},
    "jobs.status.running": {"sv": "Pågår", "en": "Running"},
    "jobs.status.failed": {"sv": "Misslyckades", "en": "Failed"},
    "jobs.status.done": {"sv": "Klart", "en": "Done"},
    "jobs.attempts": {"sv": "{n} av {of}", "en": "{n} of {of}"},
    "jobs.kind.report": {"sv": "Rapport", "en": "Report"},
    "jobs.kind.mail_send": {"sv": "E-postutskick", "en": "E-mail batch"},
    "jobs.mail.result": {
        "sv": "{sent} skickade, {retry} försöks igen, {failed} misslyckades, {skipped} hoppades över",
        "en": "{sent} sent, {retry} to try again, {failed} failed, {skipped} skipped",
    },
    "jobs.skipped": {"sv": "Hoppades över: inga svar att rapportera", "en": "Skipped: no answers to report"},
    "jobs.retrying": {"sv": "Försöks igen {when}: {reason}", "en": "Tried again {when}: {reason}"},
    "jobs.link.organisation": {"sv": "Bakgrundsjobb", "en": "Background jobs"},
    "reports.batch.title": {"sv": "Rapporter för alla organisationer", "en": "Reports for every organisation"},
    "reports.batch.intro": {
        "sv": "En rapport per organisation skapas i bakgrunden och sparas i datamappens rapportmapp. Förloppet "
        "syns under Bakgrundsjobb.",
        "en": "One report per organisation is made in the background and saved in the data folder's reports folder. "
        "Follow its progress under Background jobs.",
    },
    "reports.batch.start": {"sv": "Skapa alla i bakgrunden", "en": "Make them all in the background"},
    "reports.error.batch_comparison": {
        "sv": "Rapport: en jämförelse görs för valda organisationer, inte för alla var för sig.",
        "en": "Report: a comparison is made for chosen organisations, not for each one on its own.",
    },
}
