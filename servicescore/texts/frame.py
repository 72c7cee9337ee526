"""Texts of the frame every page shares: navigation, login, home, error pages, respondents' and shoppers' pages."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    # Shared frame of every page
    "site.name": {"sv": "ServiceScore", "en": "ServiceScore"},
    "site.tagline": {
        "sv": "Mäter hur kunder bemöts – och visar var ni står.",
        "en": "Measures how customers are treated – and shows where you stand.",
    },
    "nav.skip": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "nav.home": {"sv": "ServiceScore, startsidan", "en": "ServiceScore, home page"},
    "nav.login": {"sv": "Logga in", "en": "Log in"},
    "nav.logout": {"sv": "Logga ut", "en": "Log out"},
    "nav.label": {"sv": "Språk och konto", "en": "Language and account"},
    "nav.signed_in_as": {"sv": "Inloggad som {name}", "en": "Signed in as {name}"},
    # Roles, as pages name them
    "role.consultant": {"sv": "konsult", "en": "consultant"},
    "role.shopper": {"sv": "mystery shopper", "en": "mystery shopper"},
    "role.client": {"sv": "kund", "en": "client viewer"},
    # Login page
    "login.title": {"sv": "Logga in", "en": "Log in"},
    "login.heading": {"sv": "Logga in", "en": "Log in"},
    "login.intro": {
        "sv": "För konsulter, mystery shoppers och kunder. Ska du svara på en enkät behöver du inget konto.",
        "en": "For consultants, mystery shoppers and clients. To answer a survey you need no account.",
    },
    "login.username": {"sv": "Användarnamn", "en": "Username"},
    "login.password": {"sv": "Lösenord", "en": "Password"},
    "login.submit": {"sv": "Logga in", "en": "Log in"},
    "login.failed": {
        "sv": "Fel användarnamn eller lösenord, eller så är kontot låst i {minutes} minuter efter för många försök.",
        "en": "Wrong username or password, or the account is locked for {minutes} minutes after too many attempts.",
    },
    "login.too_many": {
        "sv": "För många misslyckade inloggningar från din adress. Försök igen om {minutes} minuter.",
        "en": "Too many failed logins from your address. Try again in {minutes} minutes.",
    },
    # Home page
    "home.title": {"sv": "Välkommen", "en": "Welcome"},
    "home.heading": {"sv": "Hur bemöts era kunder?", "en": "How are your customers treated?"},
    "home.lead": {
        "sv": "ServiceScore gör bemötande mätbart: enkäter till kunder och medarbetare, mystery shopping "
        "och jämförelser med liknande verksamheter.",
        "en": "ServiceScore makes service measurable: surveys of customers and employees, mystery shopping "
        "and comparisons with similar organisations.",
    },
    "home.respondent.heading": {"sv": "Har du fått en enkät?", "en": "Were you asked to answer a survey?"},
    "home.respondent.body": {
        "sv": "Enkäten öppnas från länken eller QR-koden du fick, till exempel i ett mejl, på kvittot eller vid "
        "utgången. Du behöver inget konto, kan svara på svenska eller engelska och kan göra en paus och "
        "fortsätta senare.",
        "en": "The survey opens from the link or QR code you were given, for example in an email, on your "
        "receipt or at the exit. You need no account, can answer in Swedish or English, and can take a "
        "break and carry on later.",
    },
    "home.staff.heading": {"sv": "Arbetar du med ServiceScore?", "en": "Do you work with ServiceScore?"},
    "home.staff.body": {
        "sv": "Konsulter, mystery shoppers och kunder loggar in för att komma till sina sidor.",
        "en": "Consultants, mystery shoppers and clients log in to reach their pages.",
    },
    "home.signed_in": {"sv": "Du är inloggad som {name}, {role}.", "en": "You are signed in as {name}, {role}."},
    "home.continue.consultant": {"sv": "Till konsolen", "en": "Go to the console"},
    "home.continue.shopper": {"sv": "Till dina besök", "en": "Go to your visits"},
    "home.continue.client": {"sv": "Till kundportalen", "en": "Go to the client portal"},
    # Entry pages of each role (filled in by their own parts later)
    "entry.greeting": {"sv": "Hej {name}!", "en": "Hello {name}!"},
    "entry.heading.consultant": {"sv": "Konsolen", "en": "Console"},
    "entry.heading.shopper": {"sv": "Dina besök", "en": "Your visits"},
    "entry.heading.client": {"sv": "Kundportalen", "en": "Client portal"},
    "entry.signed_in_role": {"sv": "Du är inloggad som {role}.", "en": "You are signed in as {role}."},
    # Error pages
    "error.title": {"sv": "Fel {status}", "en": "Error {status}"},
    "error.400.heading": {"sv": "Begäran gick inte att förstå", "en": "The request could not be understood"},
    "error.400.body": {
        "sv": "Något i begäran saknades eller var felaktigt. Gå tillbaka och försök igen.",
        "en": "Something in the request was missing or wrong. Go back and try again.",
    },
    "error.403.heading": {"sv": "Du har inte tillgång till sidan", "en": "You do not have access to this page"},
    "error.403.body": {
        "sv": "Sidan hör till en annan roll än din. Börja om från startsidan.",
        "en": "This page belongs to another role than yours. Start again from the home page.",
    },
    "error.csrf.heading": {"sv": "Formuläret har gått ut", "en": "The form has expired"},
    "error.csrf.body": {
        "sv": "Av säkerhetsskäl gick formuläret inte att skicka. Ladda om sidan och försök igen.",
        "en": "For security reasons the form could not be sent. Reload the page and try again.",
    },
    "error.404.heading": {"sv": "Sidan finns inte", "en": "Page not found"},
    "error.404.body": {
        "sv": "Adressen kan vara felstavad, eller så har sidan flyttats.",
        "en": "The address may be misspelt, or the page has moved.",
    },
    "error.405.heading": {"sv": "Det går inte att göra så här", "en": "That cannot be done here"},
    "error.405.body": {
        "sv": "Sidan tar inte emot den sortens begäran.",
        "en": "This page does not accept that kind of request.",
    },
    "error.500.heading": {"sv": "Något gick fel hos oss", "en": "Something went wrong on our side"},
    "error.500.body": {
        "sv": "Felet är loggat. Försök igen om en stund.",
        "en": "The error has been logged. Please try again in a moment.",
    },
    "error.database.heading": {
        "sv": "Databasen går inte att nå just nu",
        "en": "The database cannot be reached right now",
    },
    "error.database.body": {
        "sv": "Det du redan har sparat finns kvar. Försök igen om en liten stund.",
        "en": "What you saved before is kept. Please try again in a little while.",
    },
    "error.other.heading": {"sv": "Sidan kunde inte visas", "en": "The page could not be shown"},
    "error.other.body": {"sv": "Försök igen om en stund.", "en": "Please try again in a moment."},
    "error.home": {"sv": "Till startsidan", "en": "Go to the home page"},
    # Respondents' survey pages (web/respond, templates/respond)
    "respond.nav.label": {"sv": "Språk", "en": "Language"},
    "respond.footer": {
        "sv": "Dina svar sparas för varje sida du skickar och används för att förbättra bemötandet.",
        "en": "Your answers are saved with each page you send and are used to improve how customers are treated.",
    },
    "respond.progress": {"sv": "Sida {page} av {pages}", "en": "Page {page} of {pages}"},
    "respond.required": {"sv": "(måste besvaras)", "en": "(required)"},
    "respond.next": {"sv": "Nästa", "en": "Next"},
    "respond.back": {"sv": "Föregående", "en": "Previous"},
    "respond.submit": {"sv": "Skicka svaren", "en": "Send my answers"},
    "respond.na": {"sv": "Vet inte / ej aktuellt", "en": "Don't know / not applicable"},
    "respond.yes": {"sv": "Ja", "en": "Yes"},
    "respond.no": {"sv": "Nej", "en": "No"},
    "respond.comment": {"sv": "Kommentar (frivillig)", "en": "Comment (optional)"},
    "respond.hint.text": {"sv": "Högst {max} tecken.", "en": "At most {max} characters."},
    "respond.hint.multiple": {"sv": "Välj ett eller flera alternativ.", "en": "Choose one or more."},
    "respond.hint.between": {"sv": "Ett tal från {low} till {high}.", "en": "A number from {low} to {high}."},
    "respond.hint.at_least": {"sv": "Ett tal, minst {low}.", "en": "A number, at least {low}."},
    "respond.hint.at_most": {"sv": "Ett tal, högst {high}.", "en": "A number, at most {high}."},
    "respond.saved_note": {
        "sv": "Du kan göra en paus: öppna samma länk igen så fortsätter du där du slutade.",
        "en": "You can take a break: open the same link again to carry on where you stopped.",
    },
    "respond.revealed": {
        "sv": "Utifrån ditt svar har vi lagt till en följdfråga. Svara om du vill och gå sedan vidare.",
        "en": "Based on your answer we have added a follow-up question. Answer it if you like, then continue.",
    },
    "respond.changed": {
        "sv": "Svaren ändrades samtidigt i en annan webbläsare, så sidan du skickade sparades inte. Här är svaren "
        "som de är sparade nu: gå igenom dem och skicka igen.",
        "en": "The answers were changed in another browser at the same time, so the page you sent was not saved. "
        "Here are the answers as they are saved now: go through them and send again.",
    },
    "respond.errors.title": {"sv": "Rätta svaren", "en": "Correct your answers"},
    "respond.errors.heading": {"sv": "Några svar behöver ses över", "en": "Some answers need another look"},
    "respond.error.required": {
        "sv": "Svara på frågan för att gå vidare.",
        "en": "Please answer this question to continue.",
    },
    "respond.error.scale": {
        "sv": "Välj ett värde från {low} till {high}.",
        "en": "Choose a value from {low} to {high}.",
    },
    "respond.error.choose": {"sv": "Välj ett av alternativen.", "en": "Choose one of the options."},
    "respond.error.choose_listed": {"sv": "Välj bland alternativen som visas.", "en": "Choose from the options shown."},
    "respond.error.too_long": {
        "sv": "Svaret har {length} tecken; högst {max} får plats. Korta det gärna.",
        "en": "The answer has {length} characters; at most {max} fit. Please shorten it.",
    },
    "respond.error.number": {
        "sv": "Skriv ett tal, till exempel 12 eller 3,5.",
        "en": "Write a number, for example 12 or 3.5.",
    },
    "respond.error.integer": {"sv": "Skriv ett heltal.", "en": "Write a whole number."},
    "respond.error.between": {
        "sv": "Skriv ett tal från {low} till {high}.",
        "en": "Write a number from {low} to {high}.",
    },
    "respond.error.at_least": {"sv": "Skriv ett tal som är minst {low}.", "en": "Write a number of at least {low}."},
    "respond.error.at_most": {"sv": "Skriv ett tal som är högst {high}.", "en": "Write a number of at most {high}."},
    "respond.done.title": {"sv": "Tack!", "en": "Thank you!"},
    "respond.done.heading": {"sv": "Tack för dina svar!", "en": "Thank you for your answers!"},
    "respond.done.body": {
        "sv": "Svaren är sparade och hjälper oss att bli bättre. Du kan stänga sidan nu.",
        "en": "Your answers are saved and help us do better. You can close this page now.",
    },
    "respond.done.when": {"sv": "Skickat {when}.", "en": "Sent {when}."},
    "respond.done.in_touch": {
        "sv": "Du bad oss kontakta dig, så någon från {organisation} hör av sig till dig.",
        "en": "You asked to be contacted, so someone from {organisation} will be in touch with you.",
    },
    "respond.done.again": {
        "sv": "Svara en gång till, till exempel för någon annan i sällskapet",
        "en": "Answer once more, for example for someone else in your party",
    },
    "respond.unknown.heading": {"sv": "Länken fungerar inte", "en": "This link does not work"},
    "respond.unknown.body": {
        "sv": "Vi hittar ingen enkät på den här adressen. Kontrollera att hela länken kom med, eller skanna "
        "QR-koden igen.",
        "en": "We find no survey at this address. Check that the whole link came along, or scan the QR code again.",
    },
    "respond.not_open.heading": {"sv": "Enkäten har inte öppnat än", "en": "The survey has not opened yet"},
    "respond.not_open.body": {
        "sv": "Den öppnar {date}. Välkommen tillbaka då!",
        "en": "It opens on {date}. Please come back then!",
    },
    "respond.closed.heading": {"sv": "Enkäten är stängd", "en": "The survey has closed"},
    "respond.closed.body": {
        "sv": "Enkäten stängde {date}. Tack ändå för att du ville svara!",
        "en": "The survey closed on {date}. Thank you all the same for wanting to answer!",
    },
    "respond.used.heading": {"sv": "Du har redan svarat", "en": "You have already answered"},
    "respond.used.body": {
        "sv": "Den här personliga länken har redan använts för att skicka svar. Tack för din medverkan!",
        "en": "This personal link has already been used to send answers. Thank you for taking part!",
    },
    "respond.bad_form.heading": {"sv": "Sidan gick inte att spara", "en": "The page could not be saved"},
    "respond.bad_form.body": {
        "sv": "Formuläret innehöll något som inte hör till enkäten ({detail}). Öppna länken igen och fortsätt "
        "där du slutade; inget felaktigt har sparats.",
        "en": "The form held something that is not part of the survey ({detail}). Open the link again and carry "
        "on where you stopped; nothing wrong was saved.",
    },
    "respond.already_sent.heading": {"sv": "Svaren är redan skickade", "en": "Your answers were already sent"},
    "respond.already_sent.body": {
        "sv": "Svar som har skickats kan inte ändras. Tack för att du svarade!",
        "en": "Answers that have been sent cannot be changed. Thank you for answering!",
    },
    # Shopper: visits (servicescore/web/visits)
    "visits.group.returned": {"sv": "Återsända – rätta och skicka igen", "en": "Returned – correct and send again"},
    "visits.group.due": {"sv": "Att göra", "en": "To do"},
    "visits.group.in_progress": {"sv": "Påbörjade", "en": "In progress"},
    "visits.group.waiting": {"sv": "Väntar på att skickas", "en": "Waiting to sync"},
    "visits.group.submitted": {"sv": "Inskickade, väntar på granskning", "en": "Submitted, awaiting review"},
    "visits.group.approved": {"sv": "Godkända", "en": "Approved"},
    "visits.group.rejected": {"sv": "Underkända", "en": "Rejected"},
    "visits.empty": {"sv": "Du har inga uppdrag just nu.", "en": "You have no assignments right now."},
    "visits.offline": {
        "sv": "Sidorna fungerar utan nät: svaren sparas i telefonen och skickas när nätet är tillbaka.",
        "en": "These pages work without a network: answers are kept on the phone and sent when it is back.",
    },
    "visits.window": {"sv": "Tidsfönster", "en": "Time window"},
    "visits.comment_from_consultant": {"sv": "Konsultens kommentar", "en": "The consultant's comment"},
    "visits.open": {"sv": "Öppna {name}", "en": "Open {name}"},
    "visits.offline_ready": {"sv": "Klart att användas utan nät.", "en": "Ready to use without a network."},
    "brief.scenario": {"sv": "Uppdrag", "en": "Scenario"},
    "brief.scorecard": {"sv": "Protokoll", "en": "Scorecard"},
    "brief.position": {"sv": "Spara min position när jag startar", "en": "Save my position when I start"},
    "brief.start": {"sv": "Starta besöket", "en": "Start the visit"},
    "brief.continue": {"sv": "Fortsätt besöket", "en": "Continue the visit"},
    "brief.view": {"sv": "Visa svaren", "en": "Show the answers"},
    "section.progress": {"sv": "Del {n} av {total}", "en": "Part {n} of {total}"},
    "section.na": {"sv": "Ej aktuellt", "en": "Not applicable"},
    "section.yes": {"sv": "Ja", "en": "Yes"},
    "section.no": {"sv": "Nej", "en": "No"},
    "section.comment": {"sv": "Kommentar", "en": "Comment"},
    "section.minutes": {"sv": "Minuter", "en": "Minutes"},
    "section.seconds": {"sv": "Sekunder", "en": "Seconds"},
    "section.photo": {"sv": "Ta eller välj foto", "en": "Take or choose a photo"},
    "section.photos_kept": {"sv": "Sparade foton: {n}", "en": "Photos kept: {n}"},
    "section.next": {"sv": "Spara och fortsätt", "en": "Save and continue"},
    "section.previous": {"sv": "Föregående del", "en": "Previous part"},
    "section.errors": {"sv": "Rätta det som är markerat.", "en": "Correct what is marked."},
    "section.readonly": {
        "sv": "Besöket är inskickat och kan inte ändras.",
        "en": "The visit is sent and cannot change.",
    },
    "finish.heading": {"sv": "Avsluta och skicka in", "en": "Finish and submit"},
    "finish.body": {
        "sv": "När du skickar in sparas sluttiden. Konsulten granskar besöket och kan skicka tillbaka det med en "
        "kommentar.",
        "en": "Submitting records the end time. The consultant reviews the visit and may return it with a comment.",
    },
    "finish.submit": {"sv": "Avsluta och skicka in", "en": "Finish and submit"},
    "status.draft": {"sv": "påbörjat", "en": "in progress"},
    "status.submitted": {"sv": "inskickat", "en": "submitted"},
    "status.returned": {"sv": "återsänt", "en": "returned"},
    "status.approved": {"sv": "godkänt", "en": "approved"},
    "status.rejected": {"sv": "underkänt", "en": "rejected"},
    # Consultant: review of visits (servicescore/web/review)
    "review.title": {"sv": "Granska besök", "en": "Review visits"},
    "console.parts": {"sv": "Konsolens delar", "en": "Parts of the console"},
    "console.part.organisations": {
        "sv": "Organisationer, enheter, jämförelsegrupper och perioder",
        "en": "Organisations, units, peer groups and waves",
    },
    "console.part.collections": {"sv": "Publicera enkäter och formulär", "en": "Publish surveys and scorecards"},
    "console.part.assignments": {"sv": "Uppdrag till mystery shoppers", "en": "Mystery shopper assignments"},
    "console.part.calibration": {"sv": "Kalibrering av mystery shoppers", "en": "Mystery shopper calibration"},
    "console.part.dashboard": {"sv": "Resultat", "en": "Results"},
    "console.part.reports": {"sv": "Rapporter", "en": "Reports"},
    "console.part.exports": {"sv": "Exportera data", "en": "Export data"},
    "console.part.cases": {"sv": "Uppföljningsärenden", "en": "Follow-up cases"},
    "console.part.tokens": {"sv": "API-nycklar", "en": "API tokens"},
    "console.part.jobs": {"sv": "Bakgrundsjobb", "en": "Background jobs"},
    "review.link": {"sv": "Granska inskickade besök ({n})", "en": "Review submitted visits ({n})"},
    "review.choose_action": {
        "sv": "Välj Godkänn, Skicka tillbaka eller Underkänn.",
        "en": "Choose Approve, Return or Reject.",
    },
    "review.empty": {"sv": "Inga besök väntar på granskning.", "en": "No visits are waiting for review."},
    "review.flags": {"sv": "Att titta närmare på", "en": "Worth a closer look"},
    "review.no_flags": {"sv": "Inga automatiska varningar.", "en": "No automatic flags."},
    "review.timing": {"sv": "Start {start}, slut {end}", "en": "Start {start}, end {end}"},
    "review.refused.comment_needed": {
        "sv": "Ett besök som skickas tillbaka behöver en kommentar som säger shoppern vad som ska ändras.",
        "en": "A returned visit needs a comment telling the shopper what to change.",
    },
    "review.refused.not_waiting": {
        "sv": "Besöket är {status} och väntar inte på granskning.",
        "en": "The visit is {status}, not waiting for review.",
    },
    "review.event.saved.draft": {
        "sv": "Sparade version {revision} som utkast",
        "en": "Saved revision {revision} as a draft",
    },
    "review.event.saved.submitted": {"sv": "Skickade in version {revision}", "en": "Submitted revision {revision}"},
    "review.event.approved": {"sv": "Godkände besöket", "en": "Approved the visit"},
    "review.event.returned": {"sv": "Skickade tillbaka besöket", "en": "Returned the visit"},
    "review.event.rejected": {"sv": "Underkände besöket", "en": "Rejected the visit"},
    # Quotation marks as each language writes them: ”…” in Swedish (Svenska skrivregler), “…” in English.
    "review.event.with_comment": {"sv": "{what}: ”{comment}”", "en": "{what}: “{comment}”"},
    "review.comment": {"sv": "Kommentar till shoppern", "en": "Comment to the shopper"},
    "review.approve": {"sv": "Godkänn", "en": "Approve"},
    "review.return": {"sv": "Skicka tillbaka", "en": "Return"},
    "review.reject": {"sv": "Underkänn", "en": "Reject"},
    "review.done": {"sv": "Besöket är nu {status}.", "en": "The visit is now {status}."},
    "review.history": {"sv": "Historik", "en": "History"},
    "review.answer": {"sv": "Svar", "en": "Answer"},
    "review.item": {"sv": "Fråga", "en": "Question"},
}
