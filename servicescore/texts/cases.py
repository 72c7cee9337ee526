"""Interface strings of the cases pages and of the contact fields on a survey (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    # The contact fields next to a survey's consent question
    "cases.contact.legend": {"sv": "Dina kontaktuppgifter", "en": "Your contact details"},
    "cases.contact.intro": {
        "sv": "Lämna e-post eller telefonnummer så hör vi av oss. Fyll bara i om du svarat ja.",
        "en": "Leave an e-mail address or a phone number and we will get in touch. Fill in only if you answered yes.",
    },
    "cases.contact.name": {"sv": "Namn", "en": "Name"},
    "cases.contact.email": {"sv": "E-post", "en": "E-mail"},
    "cases.contact.phone": {"sv": "Telefon", "en": "Phone"},
    "cases.contact.hint.email": {"sv": "Till exempel anna@exempel.se", "en": "For example anna@example.com"},
    "cases.contact.hint.phone": {"sv": "Till exempel 070-123 45 67", "en": "For example +46 70 123 45 67"},
    "cases.contact.error.email": {
        "sv": "Skriv en hel e-postadress, med @ och en domän, till exempel anna@exempel.se.",
        "en": "Write a whole e-mail address, with @ and a domain, for example anna@example.com.",
    },
    "cases.contact.error.phone": {
        "sv": "Skriv ett telefonnummer med 7 till 15 siffror; bara siffror, mellanslag, + och - går bra.",
        "en": "Write a phone number of 7 to 15 digits; only digits, spaces, + and - are accepted.",
    },
    "cases.contact.error.too_long": {
        "sv": "Skriv högst {max} tecken (nu {length}).",
        "en": "Write at most {max} characters (now {length}).",
    },
    # The list of cases
    "cases.title": {"sv": "Återkopplingsärenden", "en": "Follow-up cases"},
    "cases.lead": {
        "sv": "Kunder som bett oss höra av oss efter ett lågt betyg. Ring eller mejla innan ärendet förfaller.",
        "en": "Customers who asked to be contacted after a low score. Call or write before the case falls due.",
    },
    "cases.filter.label": {"sv": "Visa", "en": "Show"},
    "cases.filter.open": {"sv": "Pågående", "en": "Open"},
    "cases.filter.closed": {"sv": "Avslutade", "en": "Closed"},
    "cases.filter.all": {"sv": "Alla", "en": "All"},
    "cases.overdue_count": {
        "sv": {
            "one": "{n} ärende har passerat sin tidsgräns utan kontakt.",
            "other": "{n} ärenden har passerat sin tidsgräns utan kontakt.",
        },
        "en": {
            "one": "{n} case is past its due time without contact.",
            "other": "{n} cases are past their due time without contact.",
        },
    },
    "cases.overdue_none": {"sv": "Inga ärenden är försenade.", "en": "No cases are overdue."},
    "cases.empty": {"sv": "Inga ärenden här.", "en": "No cases here."},
    "cases.col.case": {"sv": "Ärende", "en": "Case"},
    "cases.col.organisation": {"sv": "Organisation", "en": "Organisation"},
    "cases.col.unit": {"sv": "Enhet", "en": "Unit"},
    "cases.col.status": {"sv": "Status", "en": "Status"},
    "cases.col.due": {"sv": "Kontakt senast", "en": "Contact due"},
    "cases.col.assignee": {"sv": "Ansvarig", "en": "Assigned to"},
    "cases.col.opened": {"sv": "Svaret skickades", "en": "Response sent"},
    "cases.overdue": {"sv": "Försenat", "en": "Overdue"},
    "cases.unassigned": {"sv": "Ingen ännu", "en": "Nobody yet"},
    "cases.status.open": {"sv": "Ny", "en": "New"},
    "cases.status.contacted": {"sv": "Kontaktad", "en": "Contacted"},
    "cases.status.closed": {"sv": "Avslutad", "en": "Closed"},
    "cases.case_number": {"sv": "Ärende {id}", "en": "Case {id}"},
    # Time to first contact and to closing
    "cases.times.title": {"sv": "Hur snabbt sluts cirkeln?", "en": "How fast is the loop closed?"},
    "cases.times.caption": {
        "sv": "Timmar från att svaret skickades, per organisation. Ärenden utan kontakt räknas inte i tiderna.",
        "en": "Hours from the response being sent, per organisation. Cases without contact are left out of the times.",
    },
    "cases.times.cases": {"sv": "Ärenden", "en": "Cases"},
    "cases.times.open": {"sv": "Pågående", "en": "Open"},
    "cases.times.overdue": {"sv": "Försenade", "en": "Overdue"},
    "cases.times.contact_median": {"sv": "Till första kontakt, median", "en": "To first contact, median"},
    "cases.times.contact_mean": {"sv": "Till första kontakt, medel", "en": "To first contact, mean"},
    "cases.times.close_median": {"sv": "Till avslut, median", "en": "To closing, median"},
    "cases.times.close_mean": {"sv": "Till avslut, medel", "en": "To closing, mean"},
    "cases.hours": {"sv": "{hours} h", "en": "{hours} h"},
    # One case
    "cases.back": {"sv": "Alla ärenden", "en": "All cases"},
    "cases.facts": {"sv": "Ärendet", "en": "The case"},
    "cases.survey": {"sv": "Enkät", "en": "Survey"},
    "cases.first_contact": {"sv": "Första kontakt", "en": "First contact"},
    "cases.closed_at": {"sv": "Avslutat", "en": "Closed"},
    "cases.not_yet": {"sv": "Inte än", "en": "Not yet"},
    "cases.contact.title": {"sv": "Kontaktuppgifter", "en": "Contact details"},
    "cases.contact.private": {
        "sv": "Syns bara för er som hanterar ärendet, och raderas när ärendet avslutas.",
        "en": "Seen only by those handling the case, and deleted when the case is closed.",
    },
    "cases.contact.deleted": {
        "sv": "Kontaktuppgifterna raderades när ärendet avslutades. Svaren finns kvar, utan namn.",
        "en": "The contact details were deleted when the case was closed. The answers remain, without a name.",
    },
    "cases.contact.none": {"sv": "Inget angivet", "en": "Not given"},
    "cases.answers": {"sv": "Svaren", "en": "The answers"},
    "cases.assign.title": {"sv": "Ansvarig", "en": "Assigned to"},
    "cases.assign.label": {"sv": "Ge ärendet till", "en": "Give the case to"},
    "cases.assign.submit": {"sv": "Tilldela", "en": "Assign"},
    "cases.contacted.submit": {"sv": "Markera första kontakt", "en": "Mark first contact"},
    "cases.close.title": {"sv": "Avsluta", "en": "Close"},
    "cases.close.warning": {
        "sv": "När ärendet avslutas raderas kundens kontaktuppgifter. Det går inte att ångra.",
        "en": "Closing the case deletes the customer's contact details. It cannot be undone.",
    },
    "cases.close.submit": {"sv": "Avsluta ärendet", "en": "Close the case"},
    "cases.notes.title": {"sv": "Anteckningar", "en": "Notes"},
    "cases.notes.none": {"sv": "Inga anteckningar än.", "en": "No notes yet."},
    "cases.notes.label": {"sv": "Ny anteckning", "en": "New note"},
    "cases.notes.hint": {"sv": "Högst 3 000 tecken.", "en": "At most 3,000 characters."},
    "cases.notes.submit": {"sv": "Spara anteckningen", "en": "Save the note"},
    "cases.history": {"sv": "Händelser", "en": "History"},
    "cases.done.assigned": {"sv": "Ärendet har fått en ansvarig.", "en": "The case has been assigned."},
    "cases.done.noted": {"sv": "Anteckningen är sparad.", "en": "The note has been saved."},
    "cases.done.contacted": {"sv": "Första kontakten är noterad.", "en": "The first contact has been recorded."},
    "cases.done.closed": {
        "sv": "Ärendet är avslutat och kontaktuppgifterna raderade.",
        "en": "The case is closed and the contact details deleted.",
    },
    "cases.refused.closed": {
        "sv": "Ärendet är redan avslutat och kan inte ändras.",
        "en": "The case is already closed and cannot be changed.",
    },
    "cases.refused.contacted": {
        "sv": "Första kontakten är redan noterad.",
        "en": "The first contact has already been recorded.",
    },
    "cases.refused.assignee": {
        "sv": "Välj en person i listan: en konsult eller någon på organisationen.",
        "en": "Choose a person from the list: a consultant or someone at the organisation.",
    },
    "cases.refused.note_empty": {"sv": "Skriv något i anteckningen.", "en": "Write something in the note."},
    "cases.refused.note_long": {
        "sv": "Anteckningen är för lång; skriv högst 3 000 tecken.",
        "en": "The note is too long; write at most 3,000 characters.",
    },
    "cases.event.case.opened": {"sv": "Ärendet öppnades", "en": "Case opened"},
    "cases.event.case.assigned": {"sv": "Ansvarig ändrad", "en": "Assigned"},
    "cases.event.case.noted": {"sv": "Anteckning tillagd", "en": "Note added"},
    "cases.event.case.contacted": {"sv": "Första kontakt", "en": "First contact"},
    "cases.event.case.closed": {"sv": "Avslutat, kontaktuppgifter raderade", "en": "Closed, contact details deleted"},
    "cases.system": {"sv": "ServiceScore", "en": "ServiceScore"},
}
