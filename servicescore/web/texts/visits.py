"""Interface strings of the shopper's pages added after the frame catalogue (see ``servicescore.web.texts``);
the older visit strings still live in ``i18n.FRAME_TEXTS``."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
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
}
