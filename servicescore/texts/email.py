"""The words of survey e-mails and alerts (``mail.compose``, ``mail.alerts``); not the console's mail pages, which
are ``mail.*`` in ``texts/mail.py``."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "email.subject.invitation": {
        "sv": "Hur blev du bemött hos {organisation}?",
        "en": "How were you treated at {organisation}?",
    },
    "email.subject.reminder": {
        "sv": "Påminnelse: hur blev du bemött hos {organisation}?",
        "en": "Reminder: how were you treated at {organisation}?",
    },
    "email.greeting.name": {"sv": "Hej {name}!", "en": "Hello {name},"},
    "email.greeting": {"sv": "Hej!", "en": "Hello,"},
    "email.intro.invitation": {
        "sv": "Tack för att du besökte {organisation}, {unit}. Vi vill gärna veta hur du blev bemött – "
        "det är så vi ser vad som fungerar och vad vi kan göra bättre.",
        "en": "Thank you for visiting {organisation}, {unit}. We would like to know how you were treated – "
        "that is how we see what works and what we can do better.",
    },
    "email.intro.reminder": {
        "sv": "För några dagar sedan bad vi dig berätta hur du blev bemött hos {organisation}, {unit}. "
        "Har du inte hunnit svara än? Varje svar räknas.",
        "en": "A few days ago we asked you how you were treated at {organisation}, {unit}. "
        "Have you not had time to answer yet? Every answer counts.",
    },
    "email.time": {
        "sv": "Enkäten «{title}» tar bara några minuter. Du kan avbryta och fortsätta senare med samma länk.",
        "en": "The survey “{title}” takes only a few minutes. You can stop and go on later with the same link.",
    },
    "email.button": {"sv": "Svara på enkäten", "en": "Answer the survey"},
    "email.personal": {
        "sv": "Länken är personlig och gäller till och med {closes}. Dela den inte med någon annan.",
        "en": "The link is yours alone and works until {closes}. Please do not share it.",
    },
    "email.thanks": {"sv": "Tack på förhand!", "en": "Thank you in advance!"},
    "email.signature": {"sv": "Med vänliga hälsningar\n{organisation}", "en": "Kind regards,\n{organisation}"},
    "email.opt_out": {
        "sv": "Vill du inte få fler enkäter från {organisation}? Avregistrera dig här:",
        "en": "Would you rather not get surveys from {organisation}? Unsubscribe here:",
    },
    "email.opt_out_link": {"sv": "Avregistrera mig", "en": "Unsubscribe"},
    # Alerts (mail.alerts)
    "email.alert.case.subject": {
        "sv": "Nytt återkopplingsärende hos {organisation}",
        "en": "New follow-up case at {organisation}",
    },
    "email.alert.case.body": {
        "sv": "Hej!\n\nEn kund hos {organisation} har bett att bli kontaktad efter sina svar (ärende {case}). "
        "Hör av er senast {due}: de kunder som får svar kommer oftast tillbaka.",
        "en": "Hello,\n\nA customer of {organisation} has asked to be contacted after their answers (case {case}). "
        "Please get in touch by {due}: customers who get an answer usually come back.",
    },
    "email.alert.escalation.subject": {
        "sv": "Försenat ärende hos {organisation}: ingen kontakt ännu",
        "en": "Late case at {organisation}: no contact yet",
    },
    "email.alert.escalation.body": {
        "sv": "Hej!\n\nÄrende {case} hos {organisation} skulle ha fått kontakt senast {due}, men ingen har hört av sig "
        "till kunden ännu.",
        "en": "Hello,\n\nCase {case} at {organisation} should have had contact by {due}, but nobody has got in touch "
        "with the customer yet.",
    },
    "email.alert.returned.subject": {
        "sv": "Ditt besök på {unit} har skickats tillbaka",
        "en": "Your visit to {unit} was returned",
    },
    "email.alert.returned.body": {
        "sv": "Hej {name}!\n\nDitt besök på {organisation}, {unit}, har skickats tillbaka med en kommentar. "
        "Öppna besöket, se över svaren och skicka in det igen.",
        "en": "Hello {name},\n\nYour visit to {organisation}, {unit}, was returned with a comment. "
        "Open the visit, look over the answers and submit it again.",
    },
    "email.alert.assignment.subject": {
        "sv": "Nytt uppdrag: {organisation}, {unit}",
        "en": "New assignment: {organisation}, {unit}",
    },
    "email.alert.assignment.body": {
        "sv": "Hej {name}!\n\nDu har fått ett nytt uppdrag.\n\nVar: {organisation}, {unit}\nNär: {start} – {end}\n"
        "Formulär: {title}\nScenario: {scenario}",
        "en": "Hello {name},\n\nYou have a new assignment.\n\nWhere: {organisation}, {unit}\nWhen: {start} – {end}\n"
        "Form: {title}\nScenario: {scenario}",
    },
}
