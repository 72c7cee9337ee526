"""Interface strings of the outbox, the contacts on a collection page and the opt-out page (see
``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    # The outbox (no SMTP server configured)
    "mail.outbox.title": {"sv": "Utkorg", "en": "Outbox"},
    "mail.outbox.intro": {
        "sv": "Ingen e-postserver är inställd (SERVICESCORE_SMTP_URL), så varje meddelande sparas här i stället.",
        "en": "No mail server is set (SERVICESCORE_SMTP_URL), so every message is kept here instead.",
    },
    "mail.outbox.smtp": {
        "sv": "Meddelanden skickas med e-postservern; här finns bara det som sparades innan den ställdes in.",
        "en": "Messages go through the mail server; here is only what was kept before it was set.",
    },
    "mail.outbox.empty": {"sv": "Utkorgen är tom.", "en": "The outbox is empty."},
    "mail.outbox.date": {"sv": "Skickat", "en": "Sent"},
    "mail.outbox.to": {"sv": "Till", "en": "To"},
    "mail.outbox.subject": {"sv": "Ämne", "en": "Subject"},
    "mail.outbox.text": {"sv": "Textdelen", "en": "The text part"},
    "mail.outbox.download": {"sv": "Ladda ned som .eml", "en": "Download as .eml"},
    # Why a row of a contact file was refused (the reasons of collections.invitation_list)
    "console.invite.reason.bad_language": {
        "sv": "Språket ”{value}” finns inte: skriv sv eller en.",
        "en": "There is no language “{value}”: write sv or en.",
    },
    "console.invite.reason.no_unit": {
        "sv": "Enheten saknas: skriv organisation/enhet i kolumnen unit.",
        "en": "The unit is missing: write organisation/unit in the unit column.",
    },
    "console.invite.reason.unknown_unit": {
        "sv": "Enheten ”{value}” ingår inte i insamlingen.",
        "en": "The unit “{value}” is not in this collection.",
    },
    "console.invite.reason.name_too_long": {
        "sv": "Namnet är längre än 200 tecken.",
        "en": "The name is longer than 200 characters.",
    },
    "console.invite.reason.segment_too_long": {
        "sv": "Segmentet är längre än 80 tecken.",
        "en": "The segment is longer than 80 characters.",
    },
    "console.invite.reason.already_contact": {
        "sv": "”{value}” är redan kontakt i den här insamlingen.",
        "en": "“{value}” is already a contact of this collection.",
    },
    # Contacts on a collection page
    "mail.contacts.title": {"sv": "E-postutskick", "en": "E-mailed invitations"},
    "mail.contacts.intro": {
        "sv": "Ladda upp kontakter som CSV eller XLSX med kolumnerna email, name (valfri), language (sv eller en), "
        "unit (organisation/enhet; valfri om insamlingen har en enhet) och segment (valfri). ServiceScore skickar "
        "inbjudan och påminnelser själv, bara till dem som inte har svarat, avregistrerat sig eller studsat. "
        "En fil med någon felaktig rad sparas inte alls.",
        "en": "Upload contacts as CSV or XLSX with the columns email, name (optional), language (sv or en), "
        "unit (organisation/unit; optional when the collection has one unit) and segment (optional). ServiceScore "
        "sends the invitation and reminders itself, only to those who have not answered, opted out or bounced. "
        "A file with any bad row is not stored at all.",
    },
    "mail.contacts.file": {
        "sv": "Kontaktfil, CSV eller XLSX (högst {size})",
        "en": "Contact file, CSV or XLSX (at most {size})",
    },
    "mail.contacts.reminders": {
        "sv": "Påminnelser, dagar efter inbjudan (till exempel 3,7; tomt för inga)",
        "en": "Reminders, days after the invitation (for example 3,7; empty for none)",
    },
    "mail.contacts.bad_reminders": {
        "sv": "Skriv hela dagar i stigande ordning, åtskilda med komma, till exempel 3,7 (högst 5 påminnelser, "
        "1 till 90 dagar).",
        "en": "Write whole days in increasing order separated by commas, for example 3,7 (at most 5 reminders, "
        "1 to 90 days).",
    },
    "mail.contacts.submit": {"sv": "Lägg till kontakter", "en": "Add contacts"},
    "mail.contacts.added": {
        "sv": {"one": "{n} kontakt lades till.", "other": "{n} kontakter lades till."},
        "en": {"one": "{n} contact was added.", "other": "{n} contacts were added."},
    },
    "mail.contacts.refused": {
        "sv": "Filen sparades inte. Rätta raderna nedan och ladda upp den igen:",
        "en": "The file was not stored. Correct the rows below and upload it again:",
    },
    "mail.contacts.no_email_column": {
        "sv": "Första raden ska namnge kolumnerna, med en kolumn email.",
        "en": "The first row must name the columns, with an email column.",
    },
    "mail.contacts.unreadable": {
        "sv": "Filen är varken CSV i UTF-8 eller en XLSX-arbetsbok.",
        "en": "The file is neither CSV in UTF-8 nor an XLSX workbook.",
    },
    "mail.contacts.schedule": {
        "sv": "Inbjudan {invite_at}, påminnelser {days} dagar efter.",
        "en": "Invitation {invite_at}, reminders {days} days after.",
    },
    "mail.contacts.no_reminders": {"sv": "inga", "en": "no"},
    "mail.contacts.per_unit": {"sv": "Per enhet", "en": "Per unit"},
    "mail.contacts.per_contact": {"sv": "Per kontakt", "en": "Per contact"},
    "mail.contacts.contact": {"sv": "Kontakt", "en": "Contact"},
    "mail.contacts.unit": {"sv": "Enhet", "en": "Unit"},
    "mail.contacts.count": {"sv": "Kontakter", "en": "Contacts"},
    "mail.contacts.queued": {"sv": "I kö", "en": "Queued"},
    "mail.contacts.sent": {"sv": "Skickade", "en": "Sent"},
    "mail.contacts.failed": {"sv": "Misslyckade", "en": "Failed"},
    "mail.contacts.bounced": {"sv": "Studsade", "en": "Bounced"},
    "mail.contacts.opted_out": {"sv": "Avregistrerade", "en": "Opted out"},
    "mail.contacts.started": {"sv": "Påbörjade", "en": "Started"},
    "mail.contacts.completed": {"sv": "Slutförda", "en": "Completed"},
    "mail.contacts.rate": {"sv": "Svarsfrekvens", "en": "Response rate"},
    "mail.contacts.messages": {"sv": "Meddelanden", "en": "Messages"},
    "mail.contacts.deleted": {"sv": "(adressen raderad)", "en": "(address deleted)"},
    "mail.contacts.empty": {"sv": "Inga kontakter ännu.", "en": "No contacts yet."},
    "mail.contacts.outbox": {"sv": "Se utkorgen", "en": "See the outbox"},
    "mail.step.0": {"sv": "inbjudan", "en": "invitation"},
    "mail.step.n": {"sv": "påminnelse {n}", "en": "reminder {n}"},
    "mail.status.pending": {"sv": "i kö", "en": "queued"},
    "mail.status.sent": {"sv": "skickad", "en": "sent"},
    "mail.status.failed": {"sv": "misslyckades", "en": "failed"},
    "mail.status.skipped": {"sv": "hoppades över", "en": "skipped"},
    "mail.status.sending": {"sv": "lämnas till servern", "en": "being handed to the server"},
    "mail.rates.title": {"sv": "Svarsfrekvens över tid", "en": "Response rate over time"},
    "mail.rates.intro": {
        "sv": "Andelen inbjudna som har slutfört enkäten, dag för dag sedan sin egen inbjudan (dag 0: inom 24 "
        "timmar). Varje dag räknar bara dem vars inbjudan är minst så gammal.",
        "en": "The share of invited contacts who have completed the survey, day by day since their own invitation "
        "(day 0: within 24 hours). Each day counts only those whose invitation is at least that old.",
    },
    "mail.rates.day": {"sv": "Dag {n}", "en": "Day {n}"},
    "mail.rates.cell": {"sv": "{completed} av {invited}", "en": "{completed} of {invited}"},
    "mail.rates.chart": {
        "sv": "{unit}: svarsfrekvens dag 0 till {last}: {values}",
        "en": "{unit}: response rate day 0 to {last}: {values}",
    },
    # The case owner on an organisation's page (alerts)
    "console.done.case_owner": {
        "sv": "Adresserna för ärenden är sparade.",
        "en": "The addresses for cases were saved.",
    },
    "mail.case_owner.title": {"sv": "E-post om nya ärenden", "en": "E-mail about new cases"},
    "mail.case_owner.hint": {
        "sv": "Nya återkopplingsärenden e-postas hit (en kundkontakt eller konsult). Tomt: inga e-postmeddelanden.",
        "en": "New follow-up cases are e-mailed here (a client contact or consultant). Empty: no e-mails.",
    },
    "mail.case_owner.email": {"sv": "E-postadress", "en": "E-mail address"},
    "mail.case_owner.escalation": {"sv": "E-postadress för försenade ärenden", "en": "E-mail address for late cases"},
    "mail.case_owner.escalation_hint": {
        "sv": "Ett ärende som ingen har tagit kontakt i när det förfaller e-postas hit. Tomt: inga e-postmeddelanden.",
        "en": "A case nobody has made contact on by its due time is e-mailed here. Empty: no e-mails.",
    },
    "mail.case_owner.save": {"sv": "Spara adresserna", "en": "Save the addresses"},
    "mail.case_owner.invalid": {
        "sv": "Skriv en hel e-postadress, till exempel anna@exempel.se, eller lämna fältet tomt.",
        "en": "Write a whole e-mail address, for example anna@example.com, or leave the field empty.",
    },
    # The opt-out page
    "mail.opt_out.title": {"sv": "Avregistrera dig", "en": "Unsubscribe"},
    "mail.opt_out.question": {
        "sv": "Vill du sluta få enkäter och påminnelser via e-post från {organisation}?",
        "en": "Do you want to stop getting surveys and reminders by e-mail from {organisation}?",
    },
    "mail.opt_out.submit": {"sv": "Ja, avregistrera mig", "en": "Yes, unsubscribe me"},
    "mail.opt_out.done": {
        "sv": "Klart. Du får inga fler enkäter via e-post från {organisation}.",
        "en": "Done. You will get no more surveys by e-mail from {organisation}.",
    },
    "mail.opt_out.unknown": {
        "sv": "Länken är ogiltig eller för gammal. Inget har ändrats.",
        "en": "The link is not valid or too old. Nothing has changed.",
    },
}
