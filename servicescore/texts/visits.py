"""Interface strings of the shopper's pages added after the frame catalogue (see ``servicescore.texts``);
the older visit strings still live in ``i18n.FRAME_TEXTS``."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "visits.logout.title": {"sv": "Logga ut", "en": "Log out"},
    "visits.logout.body": {
        "sv": "När du loggar ut raderas dina besök, protokoll och foton från telefonen, så att nästa person som "
        "använder den inte ser något av det.",
        "en": "When you log out, your visits, scorecards and photos are deleted from this phone, so the next "
        "person who uses it sees none of them.",
    },
    "visits.logout.checking": {
        "sv": "Kontrollerar att allt är skickat …",
        "en": "Checking that everything has been sent …",
    },
    "visits.logout.submit": {"sv": "Logga ut", "en": "Log out"},
    "visits.logout.unsynced_heading": {"sv": "Besök som inte är skickade", "en": "Visits that have not been sent"},
    "visits.logout.unsynced_body": {
        "sv": "De här besöken finns bara i telefonen. Loggar du ut nu raderas de och går inte att få tillbaka. "
        "Gå tillbaka till besöken och vänta tills de är skickade (det sker av sig självt när telefonen har nät).",
        "en": "These visits exist only on this phone. If you log out now they are deleted and cannot be "
        "recovered. Go back to your visits and wait until they are sent (that happens by itself when the "
        "phone has a network).",
    },
    "visits.logout.offline": {
        "sv": "Du behöver nät för att logga ut. Allt du har fyllt i finns kvar i telefonen.",
        "en": "You need a network to log out. Everything you have filled in is still on the phone.",
    },
    "visits.logout.back": {"sv": "Tillbaka till besöken", "en": "Back to my visits"},
    "visits.logout.discard": {
        "sv": "Radera osända besök och logga ut",
        "en": "Delete the unsent visits and log out",
    },
    "review.flag.outside_window": {"sv": "Utanför tidsfönstret", "en": "Outside the time window"},
    "review.flag.too_short": {"sv": "Misstänkt kort besök", "en": "Implausibly short"},
    "review.flag.contradicting_comment": {
        "sv": "Kommentaren säger emot betyget",
        "en": "The comment contradicts its score",
    },
    "review.flag.far_from_unit": {"sv": "Långt från enheten", "en": "Far from the unit"},
    "review.flag.outside_window.started": {
        "sv": "Besöket började {moment}, utanför det tilldelade fönstret {start} – {end}.",
        "en": "The visit started {moment}, outside the assigned window {start} – {end}.",
    },
    "review.flag.outside_window.ended": {
        "sv": "Besöket slutade {moment}, utanför det tilldelade fönstret {start} – {end}.",
        "en": "The visit ended {moment}, outside the assigned window {start} – {end}.",
    },
    "review.flag.too_short.detail": {
        "sv": "Tog {taken} min; minst {least} min väntat för formulärets storlek.",
        "en": "Took {taken} min; at least {least} min expected for the form's size.",
    },
    "review.flag.contradicting_comment.high": {
        "sv": "Högt betyg med negativ kommentar: ”{comment}”",
        "en": "High score with a negative comment: “{comment}”",
    },
    "review.flag.contradicting_comment.low": {
        "sv": "Lågt betyg med positiv kommentar: ”{comment}”",
        "en": "Low score with a positive comment: “{comment}”",
    },
    "review.flag.far_from_unit.detail": {
        "sv": "{km} km från enheten (telefonens noggrannhet ±{accuracy} m).",
        "en": "{km} km from the unit (the phone's accuracy ±{accuracy} m).",
    },
    "brief.locating": {"sv": "Hämtar position …", "en": "Finding your position …"},
    # What is wrong with a visit (code of servicescore.visits.validation.Problem), said to the shopper
    "visits.problem.required": {"sv": "Svar saknas.", "en": "Not answered yet."},
    "visits.problem.invalid": {
        "sv": "Svaret har en form som protokollet inte tar emot. Svara på frågan igen.",
        "en": "The answer is in a form the scorecard does not take. Answer the question again.",
    },
    "visits.problem.out_of_range": {
        "sv": "Värdet ligger utanför det som protokollet tillåter.",
        "en": "The value lies outside what the scorecard allows.",
    },
    "visits.problem.out_of_range_between": {
        "sv": "Värdet ligger utanför det som protokollet tillåter: {low} till {high}.",
        "en": "The value lies outside what the scorecard allows: {low} to {high}.",
    },
    "visits.problem.out_of_range_at_most": {
        "sv": "Värdet ligger utanför det som protokollet tillåter: högst {high}.",
        "en": "The value lies outside what the scorecard allows: at most {high}.",
    },
    "visits.problem.out_of_range_at_least": {
        "sv": "Värdet ligger utanför det som protokollet tillåter: minst {low}.",
        "en": "The value lies outside what the scorecard allows: at least {low}.",
    },
    "visits.problem.na_not_allowed": {
        "sv": "Frågan kan inte besvaras med ”Ej aktuellt”.",
        "en": "This question cannot be answered “Not applicable”.",
    },
    "visits.problem.unknown_item": {
        "sv": "Frågan finns inte i protokollet.",
        "en": "The question is not in the scorecard.",
    },
    "visits.problem.too_many_photos": {
        "sv": "För många foton: ta bort något.",
        "en": "Too many photos: remove one.",
    },
    "visits.problem.photo_rejected": {
        "sv": "Fotot gick inte att läsa som en bild (JPEG, PNG eller WebP).",
        "en": "The photo could not be read as an image (JPEG, PNG or WebP).",
    },
    "visits.problem.photo_too_large": {"sv": "Fotot är för stort.", "en": "The photo is too large."},
    "visits.problem.photos_missing": {
        "sv": "Ett foto har inte kommit fram till servern. Öppna frågan, ta bort fotot och ta det igen.",
        "en": "A photo has not reached the server. Open the question, remove the photo and take it again.",
    },
    "visits.problem.clock": {
        "sv": "Telefonens klocka verkar gå fel. Ställ in rätt datum och tid och skicka in igen.",
        "en": "The phone's clock seems wrong. Set the right date and time and submit again.",
    },
    "visits.problem.times_missing": {
        "sv": "Besökets start- eller sluttid saknas. Skicka in igen.",
        "en": "The visit's start or end time is missing. Submit again.",
    },
    "visits.problem.conflict": {
        "sv": "Besöket har ändrats på servern på annat sätt (till exempel från en annan telefon) och ersattes inte.",
        "en": "The visit was changed on the server in another way (from another phone, say) and was not replaced.",
    },
    "visits.field.visit": {"sv": "Besöket", "en": "The visit"},
    "visits.field.started_at": {"sv": "Besökets starttid", "en": "The visit's start time"},
    "visits.field.ended_at": {"sv": "Besökets sluttid", "en": "The visit's end time"},
    "visits.field.photos": {"sv": "Foton", "en": "Photos"},
    "finish.missing.heading": {"sv": "Besöket kan inte skickas in än", "en": "The visit cannot be submitted yet"},
    "finish.missing.body": {
        "sv": "Svara på de här frågorna först. Allt du har fyllt i finns kvar i telefonen.",
        "en": "Answer these questions first. Everything you have filled in is still on the phone.",
    },
    "finish.refused.heading": {"sv": "Servern tog inte emot besöket", "en": "The server did not accept the visit"},
    "finish.refused.body": {
        "sv": "Rätta det som står nedan och skicka in igen. Allt du har fyllt i finns kvar i telefonen.",
        "en": "Correct what is listed below and submit again. Everything you have filled in is still on the phone.",
    },
    # Where a visit is: only what is true (the phone's copy; what the server confirmed)
    "sync.phone_only": {
        "sv": "Sparat i telefonen. Inte skickat till servern än.",
        "en": "Saved on the phone. Not sent to the server yet.",
    },
    "sync.draft_on_server": {
        "sv": "Sparat i telefonen och hos servern som utkast. Inte inskickat än.",
        "en": "Saved on the phone and on the server as a draft. Not submitted yet.",
    },
    "sync.submit_waiting": {
        "sv": "Besöket är klart och sparat i telefonen. Det skickas in så snart telefonen når servern.",
        "en": "The visit is complete and saved on the phone. It is submitted as soon as the phone reaches the server.",
    },
    "sync.submitted": {
        "sv": "Besöket är inskickat: servern har bekräftat att den har tagit emot det.",
        "en": "The visit is submitted: the server confirmed that it has it.",
    },
    "sync.refused_short": {
        "sv": "Servern tog inte emot besöket. Öppna det, rätta och skicka in igen.",
        "en": "The server did not accept the visit. Open it, correct it and submit again.",
    },
    "visits.show_list": {"sv": "Visa listan", "en": "Show the list"},
    "section.photo_remove": {"sv": "Ta bort foto {n}", "en": "Remove photo {n}"},
    "section.photo_alt": {"sv": "Foto {n}", "en": "Photo {n}"},
    # Calibration exercises
    "calibration.title": {"sv": "Kalibrering", "en": "Calibration"},
    "calibration.link": {"sv": "Kalibreringsövningar", "en": "Calibration exercises"},
    "calibration.intro": {
        "sv": "Alla i panelen bedömer samma inspelning, utskrift eller besök var för sig. När övningen stängts ser du "
        "dina svar bredvid panelens samstämmiga svar, aldrig någon annans.",
        "en": "Everyone in the panel scores the same recording, transcript or visit on their own. Once the exercise "
        "closes you see your answers beside the panel's consensus, never anyone else's.",
    },
    "calibration.empty": {"sv": "Inga kalibreringsövningar.", "en": "No calibration exercises."},
    "calibration.reference.recording": {"sv": "Inspelning", "en": "Recording"},
    "calibration.reference.transcript": {"sv": "Utskrift", "en": "Transcript"},
    "calibration.reference.visit": {"sv": "Kalibreringsbesök", "en": "Calibration visit"},
    "calibration.reference_heading": {"sv": "Det ni bedömer", "en": "What you score"},
    "calibration.download": {"sv": "Ladda ner inspelningen", "en": "Download the recording"},
    "calibration.visit": {"sv": "{unit}, {start}–{end}", "en": "{unit}, {start}–{end}"},
    "calibration.to_do": {"sv": "Att göra", "en": "To do"},
    "calibration.sent": {"sv": "Skickad, kan ändras tills övningen stängs", "en": "Sent, can change until it closes"},
    "calibration.closed": {"sv": "Stängd: jämför med panelen", "en": "Closed: compare with the panel"},
    "calibration.saved": {"sv": "Dina svar är sparade.", "en": "Your answers are saved."},
    "calibration.alone": {
        "sv": "Bedöm på egen hand: ingen ser dina svar förrän övningen stängs.",
        "en": "Score on your own: nobody sees your answers until the exercise closes.",
    },
    "calibration.send": {"sv": "Skicka svaren", "en": "Send the answers"},
    "calibration.comparison": {"sv": "Dina svar och panelens", "en": "Your answers and the panel's"},
    "calibration.comparison_hint": {
        "sv": "Panelens svar är medianen (betyg, tal, tider) eller det vanligaste svaret (ja/nej, val).",
        "en": "The panel's answer is the median (ratings, numbers, times) or the most common answer (yes/no, choices).",
    },
    "calibration.item": {"sv": "Fråga", "en": "Question"},
    "calibration.own": {"sv": "Ditt svar", "en": "Your answer"},
    "calibration.consensus": {"sv": "Panelen", "en": "The panel"},
    "calibration.no_consensus": {"sv": "ingen majoritet", "en": "no majority"},
}
