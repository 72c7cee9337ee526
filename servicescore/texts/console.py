"""Interface strings of the console pages (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    # Shared by every console form
    "console.back": {"sv": "Konsolen", "en": "Console"},
    "console.save": {"sv": "Spara", "en": "Save"},
    "console.optional": {"sv": "(valfritt)", "en": "(optional)"},
    "console.none": {"sv": "Ingen", "en": "None"},
    "console.choose": {"sv": "Välj …", "en": "Choose …"},
    "console.form_has_errors": {
        "sv": "Formuläret har fel. Rätta fälten som är markerade nedan.",
        "en": "The form has errors. Correct the fields marked below.",
    },
    "console.error.required": {"sv": "Fyll i det här fältet.", "en": "Fill in this field."},
    "console.error.too_long": {"sv": "Högst {n} tecken.", "en": "At most {n} characters."},
    "console.error.slug": {
        "sv": "Använd små bokstäver a–z, siffror och bindestreck, till exempel zorngarden.",
        "en": "Use lower-case letters a–z, digits and hyphens, for example zorngarden.",
    },
    "console.error.taken": {"sv": "Det här är redan upptaget. Välj ett annat.", "en": "This is taken. Choose another."},
    "console.error.colour": {
        "sv": "Skriv färgen som #rrggbb, till exempel #7a2e1f.",
        "en": "Write the colour as #rrggbb, for example #7a2e1f.",
    },
    "console.error.contrast": {
        "sv": "Kontrasten mot vitt är bara {ratio}:1; minst {minimum}:1 behövs för att text ska gå att läsa. "
        "Prova {suggestion}, samma ton mörkare.",
        "en": "The contrast against white is only {ratio}:1; text needs at least {minimum}:1 to be readable. "
        "Try {suggestion}, the same hue darker.",
    },
    "console.error.number": {
        "sv": "Skriv ett tal, till exempel 60,6241.",
        "en": "Write a number, for example 60.6241.",
    },
    "console.error.range": {
        "sv": "Talet måste ligga mellan {low} och {high}.",
        "en": "Must be between {low} and {high}.",
    },
    "console.error.both_coordinates": {
        "sv": "Fyll i både latitud och longitud, eller ingen av dem.",
        "en": "Fill in both latitude and longitude, or neither.",
    },
    "console.error.date": {"sv": "Skriv ett datum som 2026-10-05.", "en": "Write a date like 2026-10-05."},
    "console.error.datetime": {
        "sv": "Skriv datum och tid som 2026-10-05T09:00.",
        "en": "Write a date and time like 2026-10-05T09:00.",
    },
    "console.error.ends_before_start": {
        "sv": "Slutet måste komma efter början.",
        "en": "The end must come after the start.",
    },
    "console.error.closes_before_opens": {
        "sv": "Stängningsdagen måste komma efter öppningsdagen.",
        "en": "The closing date must come after the opening date.",
    },
    "console.error.choice": {"sv": "Välj ett av alternativen.", "en": "Choose one of the options."},
    "console.error.choose": {"sv": "Välj ett alternativ.", "en": "Choose an option."},
    "console.error.choose_units": {"sv": "Välj minst en enhet.", "en": "Choose at least one unit."},
    "console.error.unknown_choice": {
        "sv": "Det valet finns inte (längre). Välj i listan.",
        "en": "That choice does not exist (any more). Choose from the list.",
    },
    "console.error.wave_key": {
        "sv": "Skriv omgången som år och period: 2026-Q3, 2026-H1, 2026-09 eller 2026.",
        "en": "Write the wave as year and period: 2026-Q3, 2026-H1, 2026-09 or 2026.",
    },
    "console.error.no_file": {"sv": "Välj en fil att ladda upp.", "en": "Choose a file to upload."},
    "console.error.empty_file": {"sv": "Filen är tom.", "en": "The file is empty."},
    "console.error.file_too_large": {
        "sv": "Filen är för stor; högst {size}.",
        "en": "The file is too large; at most {size}.",
    },
    # Organisations, peer groups, waves
    "console.organisations.title": {"sv": "Organisationer", "en": "Organisations"},
    "console.organisations.empty": {"sv": "Inga organisationer ännu.", "en": "No organisations yet."},
    "console.organisations.new": {"sv": "Ny organisation", "en": "New organisation"},
    "console.organisation.name": {"sv": "Namn", "en": "Name"},
    "console.organisation.slug": {"sv": "Kortnamn (i adresser och filer)", "en": "Short name (in addresses and files)"},
    "console.organisation.peer_group": {"sv": "Jämförelsegrupp", "en": "Peer group"},
    "console.organisation.brand_colour": {"sv": "Profilfärg", "en": "Brand colour"},
    "console.organisation.brand_colour_hint": {
        "sv": "#rrggbb. Färgen måste ha minst 4,5:1 kontrast mot vitt.",
        "en": "#rrggbb. The colour needs a contrast of at least 4.5:1 against white.",
    },
    "console.organisation.units": {"sv": "Enheter", "en": "Units"},
    "console.organisation.logo": {"sv": "Logotyp", "en": "Logo"},
    "console.organisation.has_logo": {"sv": "Logotyp uppladdad", "en": "Logo uploaded"},
    "console.organisation.brand_logo": {
        "sv": "Varumärkets logotyp ({brand})",
        "en": "The brand's logo ({brand})",
    },
    "console.organisation.edit": {"sv": "Redigera {name}", "en": "Edit {name}"},
    "console.organisation.details": {"sv": "Uppgifter", "en": "Details"},
    "console.organisation.create": {"sv": "Skapa organisationen", "en": "Create the organisation"},
    "console.done.created": {"sv": "Organisationen är skapad.", "en": "The organisation was created."},
    "console.done.saved": {"sv": "Ändringarna är sparade.", "en": "The changes were saved."},
    "console.done.logo": {"sv": "Logotypen är sparad.", "en": "The logo was saved."},
    "console.done.unit": {"sv": "Enheten är tillagd.", "en": "The unit was added."},
    "console.done.unit_saved": {"sv": "Enheten är sparad.", "en": "The unit was saved."},
    "console.done.peer_group": {"sv": "Jämförelsegruppen är skapad.", "en": "The peer group was created."},
    "console.done.wave": {"sv": "Omgången är skapad.", "en": "The wave was created."},
    "console.done.peer_group_saved": {"sv": "Jämförelsegruppen är sparad.", "en": "The peer group was saved."},
    "console.done.peer_group_deleted": {"sv": "Jämförelsegruppen är borttagen.", "en": "The peer group was deleted."},
    "console.done.wave_saved": {"sv": "Omgången är sparad.", "en": "The wave was saved."},
    "console.done.wave_deleted": {"sv": "Omgången är borttagen.", "en": "The wave was deleted."},
    "console.peer_group.edit": {"sv": "Jämförelsegrupp: {name}", "en": "Peer group: {name}"},
    "console.peer_group.delete": {"sv": "Ta bort gruppen", "en": "Delete the group"},
    "console.peer_group.delete_hint": {
        "sv": "Bara en grupp utan organisationer kan tas bort.",
        "en": "Only a group without organisations can be deleted.",
    },
    "console.peer_group.in_use": {
        "sv": "Gruppen kan inte tas bort: {uses} hör till den. Flytta dem till en annan grupp först.",
        "en": "The group cannot be deleted: {uses} belong to it. Move them to another group first.",
    },
    "console.wave.edit": {"sv": "Omgång {wave}", "en": "Wave {wave}"},
    "console.wave.delete": {"sv": "Ta bort omgången", "en": "Delete the wave"},
    "console.wave.delete_hint": {
        "sv": "Bara en omgång utan svar, insamlingar, uppdrag och kalibrering kan tas bort.",
        "en": "Only a wave without answers, collections, assignments and calibration can be deleted.",
    },
    "console.wave.in_use": {
        "sv": "Omgången kan inte tas bort: den används av {uses}.",
        "en": "The wave cannot be deleted: it is used by {uses}.",
    },
    "console.in_use.organisations": {
        "sv": {"one": "{n} organisation", "other": "{n} organisationer"},
        "en": {"one": "{n} organisation", "other": "{n} organisations"},
    },
    "console.in_use.responses": {
        "sv": {"one": "{n} svar", "other": "{n} svar"},
        "en": {"one": "{n} response", "other": "{n} responses"},
    },
    "console.in_use.collections": {
        "sv": {"one": "{n} insamling", "other": "{n} insamlingar"},
        "en": {"one": "{n} collection", "other": "{n} collections"},
    },
    "console.in_use.assignments": {
        "sv": {"one": "{n} uppdrag", "other": "{n} uppdrag"},
        "en": {"one": "{n} assignment", "other": "{n} assignments"},
    },
    "console.in_use.calibration": {
        "sv": {"one": "{n} kalibreringsövning", "other": "{n} kalibreringsövningar"},
        "en": {"one": "{n} calibration exercise", "other": "{n} calibration exercises"},
    },
    "console.logo.upload": {"sv": "Ladda upp logotyp", "en": "Upload logo"},
    "console.logo.hint": {
        "sv": "PNG, JPEG eller SVG, högst {size}. Bilder kontrolleras och sparas om; SVG får inte innehålla skript "
        "eller hämta något utifrån.",
        "en": "PNG, JPEG or SVG, at most {size}. Images are checked and re-encoded; an SVG may not contain script "
        "or fetch anything from elsewhere.",
    },
    "console.logo.current": {"sv": "Nuvarande logotyp", "en": "Current logo"},
    "console.logo.alt": {"sv": "Logotyp för {name}", "en": "Logo of {name}"},
    "console.logo.none": {"sv": "Ingen logotyp ännu.", "en": "No logo yet."},
    "console.logo.too_large": {"sv": "Filen är för stor ({detail}).", "en": "The file is too large ({detail})."},
    "console.logo.wrong_type": {
        "sv": "Filen är ingen PNG-, JPEG- eller SVG-bild (vi läser innehållet, inte filnamnet).",
        "en": "The file is not a PNG, JPEG or SVG image (we read its content, not its name).",
    },
    "console.logo.unreadable": {"sv": "Bilden går inte att läsa.", "en": "The image cannot be read."},
    "console.logo.bad_svg": {
        "sv": "SVG-filen är inte giltig XML, eller så har den en DTD eller entiteter, som en logotyp inte får ha.",
        "en": "The SVG file is not valid XML, or it has a DTD or entities, which a logo may not have.",
    },
    "console.logo.bad_svg_at": {
        "sv": "SVG-filen är inte giltig XML: felet står på rad {line}, tecken {column}.",
        "en": "The SVG file is not valid XML: the error is on line {line}, character {column}.",
    },
    "console.logo.bad_css_string": {
        "sv": "CSS-koden i SVG-filen går inte att läsa: en text inom citattecken avslutas aldrig. Felet står på rad "
        "{line}, tecken {column}.",
        "en": "The CSS in the SVG file cannot be read: a quoted text is never closed. The error is on line {line}, "
        "character {column}.",
    },
    "console.logo.bad_css_url": {
        "sv": "CSS-koden i SVG-filen går inte att läsa: en url(…) är felskriven eller avslutas aldrig. Felet står på "
        "rad {line}, tecken {column}.",
        "en": "The CSS in the SVG file cannot be read: a url(…) is malformed or never closed. The error is on line "
        "{line}, character {column}.",
    },
    "console.logo.bad_css_bracket": {
        "sv": "CSS-koden i SVG-filen går inte att läsa: tecknet {detail} stänger inget som har öppnats. Felet står på "
        "rad {line}, tecken {column}.",
        "en": "The CSS in the SVG file cannot be read: the {detail} closes nothing that was opened. The error is on "
        "line {line}, character {column}.",
    },
    "console.logo.bad_css_syntax": {
        "sv": "CSS-koden i SVG-filen går inte att läsa: en regel följer inte CSS-syntaxen. Felet står på rad {line}, "
        "tecken {column}.",
        "en": "The CSS in the SVG file cannot be read: a rule does not follow CSS syntax. The error is on line "
        "{line}, character {column}.",
    },
    "console.logo.style_elements": {
        "sv": "SVG-filens <style> innehåller element. En logotyps stilmall får bara innehålla CSS.",
        "en": "The SVG file's <style> contains elements. A logo's style sheet may only contain CSS.",
    },
    "console.logo.unsafe_svg": {
        "sv": "SVG-filen innehåller något vi inte tillåter i en logotyp: {detail}. Skript, händelseattribut "
        "(onload …), foreignObject och länkar till andra filer tas inte emot. Exportera logotypen som ren SVG "
        "eller PNG.",
        "en": "The SVG file contains something a logo may not: {detail}. Script, event attributes (onload …), "
        "foreignObject and references to other files are refused. Export the logo as plain SVG or PNG.",
    },
    "console.units.empty": {"sv": "Inga enheter ännu.", "en": "No units yet."},
    "console.units.new": {"sv": "Ny enhet", "en": "New unit"},
    "console.units.add": {"sv": "Lägg till enheten", "en": "Add the unit"},
    "console.unit.edit": {"sv": "Redigera enheten {name}", "en": "Edit the unit {name}"},
    "console.unit.kind": {"sv": "Slag", "en": "Kind"},
    "console.unit.latitude": {"sv": "Latitud", "en": "Latitude"},
    "console.unit.longitude": {"sv": "Longitud", "en": "Longitude"},
    "console.unit.position": {"sv": "Läge", "en": "Position"},
    "console.unit.kind.site": {"sv": "Plats", "en": "Site"},
    "console.unit.kind.call_centre": {"sv": "Kundtjänst", "en": "Call centre"},
    "console.unit.kind.team": {"sv": "Team", "en": "Team"},
    "console.unit.kind.channel": {"sv": "Kanal", "en": "Channel"},
    "console.edit": {"sv": "Redigera", "en": "Edit"},
    "console.peer_groups.title": {"sv": "Jämförelsegrupper", "en": "Peer groups"},
    "console.peer_groups.empty": {"sv": "Inga jämförelsegrupper ännu.", "en": "No peer groups yet."},
    "console.peer_groups.new": {"sv": "Ny jämförelsegrupp", "en": "New peer group"},
    "console.peer_groups.industry": {"sv": "Bransch", "en": "Industry"},
    "console.peer_groups.members": {"sv": "Organisationer", "en": "Organisations"},
    "console.peer_groups.create": {"sv": "Skapa gruppen", "en": "Create the group"},
    "console.waves.title": {"sv": "Omgångar", "en": "Waves"},
    "console.waves.empty": {"sv": "Inga omgångar ännu.", "en": "No waves yet."},
    "console.waves.new": {"sv": "Ny omgång", "en": "New wave"},
    "console.waves.key": {"sv": "Omgång", "en": "Wave"},
    "console.waves.key_hint": {"sv": "Till exempel 2026-Q3.", "en": "For example 2026-Q3."},
    "console.waves.starts": {"sv": "Första dag", "en": "First day"},
    "console.waves.ends": {"sv": "Sista dag", "en": "Last day"},
    "console.waves.create": {"sv": "Skapa omgången", "en": "Create the wave"},
    # Collections
    "console.collections.title": {"sv": "Insamlingar", "en": "Collections"},
    "console.collections.empty": {"sv": "Inga insamlingar ännu.", "en": "No collections yet."},
    "console.collections.publish": {"sv": "Publicera en enkät", "en": "Publish a survey"},
    "console.collections.import": {"sv": "Importera ett XLSForm", "en": "Import an XLSForm"},
    "console.collections.name": {"sv": "Insamling", "en": "Collection"},
    "console.collections.survey": {"sv": "Enkät", "en": "Survey"},
    "console.collections.wave": {"sv": "Omgång", "en": "Wave"},
    "console.collections.period": {"sv": "Öppen", "en": "Open"},
    "console.collections.status": {"sv": "Läge", "en": "Status"},
    "console.collections.units": {"sv": "Enheter", "en": "Units"},
    "console.collections.complete": {"sv": "Svar", "en": "Responses"},
    "console.collections.partial": {"sv": "Påbörjade", "en": "Started"},
    "console.status.not_yet_open": {"sv": "Inte öppen än", "en": "Not open yet"},
    "console.status.open": {"sv": "Öppen", "en": "Open"},
    "console.status.closed": {"sv": "Stängd", "en": "Closed"},
    "console.publish.title": {"sv": "Publicera en enkät", "en": "Publish a survey"},
    "console.publish.intro": {
        "sv": "Välj enkät, omgång och enheter. Varje enhet får en egen publik länk och QR-kod.",
        "en": "Choose the survey, the wave and the units. Each unit gets its own public link and QR code.",
    },
    "console.publish.no_surveys": {
        "sv": "Det finns inga enkäter att publicera. Importera ett XLSForm eller lägg en enkät i enkätmappen.",
        "en": "There are no surveys to publish. Import an XLSForm or put a survey in the surveys folder.",
    },
    "console.publish.no_waves": {
        "sv": "Skapa först en omgång under Organisationer.",
        "en": "First create a wave under Organisations.",
    },
    "console.publish.title_field": {"sv": "Namn på insamlingen", "en": "Name of the collection"},
    "console.publish.units": {"sv": "Enheter", "en": "Units"},
    "console.publish.opens": {"sv": "Öppnar", "en": "Opens"},
    "console.publish.closes": {"sv": "Stänger (dagen ingår)", "en": "Closes (the day included)"},
    "console.publish.submit": {"sv": "Publicera", "en": "Publish"},
    "console.collection.title": {"sv": "Insamling {id}: {survey}", "en": "Collection {id}: {survey}"},
    "console.collection.published": {
        "sv": "Enkäten är publicerad. Här är länkarna.",
        "en": "The survey is published. Here are the links.",
    },
    "console.collection.close": {"sv": "Stäng insamlingen nu", "en": "Close the collection now"},
    "console.collection.close_hint": {
        "sv": "Länkarna visar då att enkäten är stängd. Det går inte att ångra.",
        "en": "The links then say the survey has closed. This cannot be undone.",
    },
    "console.collection.closed": {"sv": "Insamlingen är stängd.", "en": "The collection is closed."},
    "console.collection.was_closed": {
        "sv": "Insamlingen var redan stängd; inget ändrades.",
        "en": "The collection had closed already; nothing was changed.",
    },
    "console.collection.links": {"sv": "Länkar och QR-koder", "en": "Links and QR codes"},
    "console.collection.unit": {"sv": "Enhet", "en": "Unit"},
    "console.collection.link": {"sv": "Publik länk", "en": "Public link"},
    "console.collection.qr": {"sv": "QR-kod", "en": "QR code"},
    "console.collection.qr_alt": {"sv": "QR-kod till enkäten för {unit}", "en": "QR code of the survey for {unit}"},
    "console.collection.download_svg": {"sv": "SVG för tryck ({unit})", "en": "SVG for print ({unit})"},
    "console.collection.download_png": {"sv": "PNG ({unit})", "en": "PNG ({unit})"},
    "console.collection.invitations": {"sv": "Inbjudningar", "en": "Invitations"},
    "console.collection.period": {"sv": "{opens} – {closes}", "en": "{opens} – {closes}"},
    "console.invite.title": {"sv": "Personliga inbjudningar", "en": "Personal invitations"},
    "console.invite.intro": {
        "sv": "Ladda upp en CSV-fil med en kolumn email (eller bara adresser, en per rad). Varje adress får en "
        "personlig länk som bara kan användas en gång. Länkarna visas bara nu: ladda ned filen.",
        "en": "Upload a CSV file with an email column (or just addresses, one a line). Each address gets a "
        "personal link that works once. The links are shown only now: download the file.",
    },
    "console.invite.unit": {"sv": "Enhet", "en": "Unit"},
    "console.invite.no_unit": {
        "sv": "Välj vilken enhet inbjudningarna gäller.",
        "en": "Choose the unit the invitations are for.",
    },
    "console.invite.file": {
        "sv": "CSV-fil med adresser (högst {size})",
        "en": "CSV file of addresses (at most {size})",
    },
    "console.invite.submit": {"sv": "Skapa inbjudningar", "en": "Create invitations"},
    "console.invite.made": {
        "sv": {"one": "{n} inbjudan skapades.", "other": "{n} inbjudningar skapades."},
        "en": {"one": "{n} invitation was made.", "other": "{n} invitations were made."},
    },
    "console.invite.download": {"sv": "Ladda ned länkarna (CSV)", "en": "Download the links (CSV)"},
    "console.invite.problems": {
        "sv": "Rader som inte blev inbjudningar",
        "en": "Rows that did not become invitations",
    },
    "console.invite.row": {"sv": "Rad {row}", "en": "Row {row}"},
    "console.invite.reason.no_address": {
        "sv": "E-postadressen saknas.",
        "en": "The e-mail address is missing.",
    },
    "console.invite.reason.not_an_address": {
        "sv": "”{value}” är ingen e-postadress.",
        "en": "“{value}” is not an e-mail address.",
    },
    "console.invite.reason.too_long": {"sv": "Adressen är för lång.", "en": "The address is too long."},
    "console.invite.reason.duplicate": {
        "sv": "”{value}” står redan på en tidigare rad.",
        "en": "“{value}” is already on an earlier row.",
    },
    "console.invite.not_text": {
        "sv": "Filen är ingen CSV-text i UTF-8. Spara den som CSV (UTF-8) och försök igen.",
        "en": "The file is not CSV text in UTF-8. Save it as CSV (UTF-8) and try again.",
    },
    "console.invite.unreadable_row": {
        "sv": "Rad {row} går inte att läsa: en cell är längre än 131 072 tecken, eller så är filen ingen CSV.",
        "en": "Row {row} cannot be read: a cell is longer than 131,072 characters, or the file is not CSV.",
    },
    "console.invite.too_many": {"sv": "Högst 10 000 rader per fil.", "en": "At most 10,000 rows a file."},
    "console.invite.no_rows": {"sv": "Filen har inga adresser.", "en": "The file has no addresses."},
    # Assignments
    "console.assignments.title": {"sv": "Uppdrag", "en": "Assignments"},
    "console.assignments.empty": {"sv": "Inga uppdrag ännu.", "en": "No assignments yet."},
    "console.assignments.new": {"sv": "Nytt uppdrag", "en": "New assignment"},
    "console.assignments.rotation": {
        "sv": "Rotationsregeln: samma shopper besöker samma enhet högst en gång på {days} dagar.",
        "en": "The rotation rule: a shopper visits the same unit at most once in {days} days.",
    },
    "console.assign.shopper": {"sv": "Shopper", "en": "Shopper"},
    "console.assign.unit": {"sv": "Enhet", "en": "Unit"},
    "console.assign.instrument": {"sv": "Formulär", "en": "Scorecard"},
    "console.assign.wave": {"sv": "Omgång", "en": "Wave"},
    "console.assign.scenario": {"sv": "Scenario (instruktion till shoppern)", "en": "Scenario (the shopper's brief)"},
    "console.assign.window_start": {"sv": "Från (svensk tid)", "en": "From (Swedish time)"},
    "console.assign.window_end": {"sv": "Till (svensk tid)", "en": "To (Swedish time)"},
    "console.assign.window": {"sv": "Tidsfönster", "en": "Window"},
    "console.assign.status": {"sv": "Läge", "en": "Status"},
    "console.assign.submit": {"sv": "Skapa uppdraget", "en": "Create the assignment"},
    "console.assign.created": {"sv": "Uppdraget är skapat.", "en": "The assignment was created."},
    "console.assign.saved": {"sv": "Uppdraget är ändrat.", "en": "The assignment was changed."},
    "console.assign.cancelled": {"sv": "Uppdraget är inställt.", "en": "The assignment was cancelled."},
    "console.assign.edit": {"sv": "Ändra uppdrag", "en": "Change an assignment"},
    "console.assign.cancel": {"sv": "Ställ in uppdraget", "en": "Cancel the assignment"},
    "console.assign.cancel_hint": {
        "sv": "Uppdraget försvinner från shopperns lista. Det går bara innan besöket har påbörjats.",
        "en": "The assignment leaves the shopper's list. This is only possible before the visit has started.",
    },
    "console.assign.locked": {
        "sv": "Shoppern har redan påbörjat besöket, så uppdraget kan inte ändras eller ställas in. "
        "Skicka tillbaka eller underkänn besöket i granskningen i stället.",
        "en": "The shopper has already started the visit, so the assignment cannot be changed or cancelled. "
        "Return or reject the visit in review instead.",
    },
    "console.assign.rotation": {
        "sv": "Rotationsregeln stoppar uppdraget: minst {days} dagar måste gå mellan två besök av samma shopper "
        "på samma enhet. Välj en annan shopper eller ett senare tidsfönster. ({detail})",
        "en": "The rotation rule refuses this: at least {days} days must pass between two visits by the same "
        "shopper to the same unit. Choose another shopper or a later window. ({detail})",
    },
    "console.assign.status.due": {"sv": "Att göra", "en": "Due"},
    "console.assign.status.in_progress": {"sv": "Pågår", "en": "In progress"},
    "console.assign.status.submitted": {"sv": "Inskickat", "en": "Submitted"},
    "console.assign.status.returned": {"sv": "Åter till shoppern", "en": "Returned"},
    "console.assign.status.approved": {"sv": "Godkänt", "en": "Approved"},
    "console.assign.status.rejected": {"sv": "Underkänt", "en": "Rejected"},
    # XLSForm import
    "console.xlsform.title": {"sv": "Importera ett XLSForm", "en": "Import an XLSForm"},
    "console.xlsform.intro": {
        "sv": "Ladda upp ett XLSForm (.xlsx med bladen survey, choices och settings). Allt som inte kan föras "
        "över listas med blad och rad.",
        "en": "Upload an XLSForm (.xlsx with the sheets survey, choices and settings). Anything that cannot be "
        "carried over is listed by sheet and row.",
    },
    "console.xlsform.file": {"sv": "XLSForm-fil (.xlsx, högst {size})", "en": "XLSForm file (.xlsx, at most {size})"},
    "console.xlsform.id": {"sv": "Id för enkäten", "en": "Id of the instrument"},
    "console.xlsform.id_hint": {
        "sv": "Lämna tomt för formulärets form_id eller filnamnet.",
        "en": "Leave empty for the form's form_id or the file name.",
    },
    "console.xlsform.kind": {"sv": "Slag", "en": "Kind"},
    "console.xlsform.kind.survey": {"sv": "Enkät (besvaras av kunder)", "en": "Survey (answered by customers)"},
    "console.xlsform.kind.scorecard": {
        "sv": "Bedömningsformulär (mystery shopping)",
        "en": "Scorecard (mystery shopping)",
    },
    "console.xlsform.replace": {
        "sv": "Ersätt en befintlig enkät med samma id",
        "en": "Replace an existing instrument with the same id",
    },
    "console.xlsform.submit": {"sv": "Importera", "en": "Import"},
    "console.xlsform.refused": {
        "sv": "Formuläret kunde inte importeras. Problemen står nedan; inget sparades.",
        "en": "The form could not be imported. The problems are listed below; nothing was saved.",
    },
    "console.xlsform.exists": {
        "sv": "Det finns redan en enkät med det id:t ({file}). Välj ett annat id eller kryssa i Ersätt.",
        "en": "An instrument with that id exists ({file}). Choose another id or tick Replace.",
    },
    "console.xlsform.not_loaded": {
        "sv": "Den konverterade filen gick inte att läsa in: {detail}",
        "en": "The converted file did not load: {detail}",
    },
    "console.xlsform.saved": {
        "sv": "Sparad: {id}. Den kan nu publiceras under Insamlingar.",
        "en": "Saved: {id}. It can now be published under Collections.",
    },
    "console.xlsform.problems": {"sv": "Problem och anteckningar", "en": "Problems and notes"},
    "console.xlsform.where": {"sv": "Blad och rad", "en": "Sheet and row"},
    "console.xlsform.message": {"sv": "Vad", "en": "What"},
    "console.xlsform.fatal": {"sv": "Stoppar importen", "en": "Stops the import"},
    "console.xlsform.note": {"sv": "Anteckning", "en": "Note"},
    "console.xlsform.row": {"sv": "{sheet}, rad {row}", "en": "{sheet}, row {row}"},
    # Calibration
    "console.calibration.title": {"sv": "Kalibrering av mystery shoppers", "en": "Mystery shopper calibration"},
    "console.calibration.intro": {
        "sv": "Hur lika shopparna bedömer samma inspelning, utskrift eller besök: Krippendorffs α per avsnitt och "
        "våg (minst 0,8 pålitligt, 0,667–0,8 preliminärt, lägre inte pålitligt), och varje shoppers mildhet.",
        "en": "How alike the shoppers score the same recording, transcript or visit: Krippendorff's α per section "
        "and wave (0.8 or more reliable, 0.667–0.8 tentative, below that not reliable), and each shopper's leniency.",
    },
    "console.calibration.empty": {"sv": "Inga kalibreringar ännu.", "en": "No calibration exercises yet."},
    "console.calibration.agreement": {"sv": "Samstämmighet: {instrument}", "en": "Agreement: {instrument}"},
    "console.calibration.section": {"sv": "Avsnitt", "en": "Section"},
    "console.calibration.overall": {"sv": "Hela formuläret", "en": "Whole scorecard"},
    "console.calibration.measurement": {"sv": "Skalnivå", "en": "Level"},
    "console.calibration.level.nominal": {"sv": "nominal (ja/nej, val)", "en": "nominal (yes/no, choice)"},
    "console.calibration.level.ordinal": {"sv": "ordinal (betyg)", "en": "ordinal (ratings)"},
    "console.calibration.level.interval": {"sv": "intervall (tal, tider)", "en": "interval (numbers, times)"},
    "console.calibration.reading.reliable": {"sv": "pålitligt", "en": "reliable"},
    "console.calibration.reading.tentative": {"sv": "preliminärt", "en": "tentative"},
    "console.calibration.reading.not_reliable": {"sv": "inte pålitligt", "en": "not reliable"},
    "console.calibration.no_alpha": {"sv": "inget α", "en": "no α"},
    "console.calibration.leniency": {"sv": "Mildhet och stränghet", "en": "Leniency and harshness"},
    "console.calibration.leniency_hint": {
        "sv": "Skalsteg över (+) eller under (−) panelen, med 95 % intervall; flaggas när hela intervallet ligger "
        "bortom ±0,5.",
        "en": "Scale points above (+) or below (−) the panel, with a 95% interval; flagged when the whole interval "
        "lies beyond ±0.5.",
    },
    "console.calibration.answers": {"sv": "Betyg", "en": "Ratings"},
    "console.calibration.offset": {"sv": "Avvikelse", "en": "Offset"},
    "console.calibration.interval": {"sv": "95 % intervall", "en": "95% interval"},
    "console.calibration.flag": {"sv": "Flagga", "en": "Flag"},
    "console.calibration.flag.lenient": {"sv": "mild", "en": "lenient"},
    "console.calibration.flag.harsh": {"sv": "sträng", "en": "harsh"},
    "console.calibration.no_leniency": {"sv": "Ingen skattning av mildhet:", "en": "No leniency estimate:"},
    "console.calibration.left_out": {
        "sv": "Valda shoppers som inte svarade (utelämnade):",
        "en": "Chosen shoppers who answered nothing (left out):",
    },
    "console.peer_groups.name_en": {"sv": "Namn på engelska", "en": "Name in English"},
    "console.peer_groups.name_en_hint": {
        "sv": "Visas i engelska rapporter; tomt ger det svenska namnet.",
        "en": "Shown in English reports; left empty, the Swedish name is used.",
    },
    "console.calibration.exercises": {"sv": "Övningar", "en": "Exercises"},
    "console.calibration.exercise": {"sv": "Övning", "en": "Exercise"},
    "console.calibration.reference": {"sv": "Underlag", "en": "Reference"},
    "console.calibration.reference.transcript": {"sv": "Skriven utskrift", "en": "Written transcript"},
    "console.calibration.reference.recording": {
        "sv": "Inspelning (ljud eller film)",
        "en": "Recording (audio or video)",
    },
    "console.calibration.reference.visit": {"sv": "Gemensamt besök", "en": "Shared visit"},
    "console.calibration.answered": {"sv": "Har svarat", "en": "Answered"},
    "console.calibration.answered_of": {"sv": "{answered} av {chosen}", "en": "{answered} of {chosen}"},
    "console.calibration.status": {"sv": "Status", "en": "Status"},
    "console.calibration.status.open": {"sv": "öppen", "en": "open"},
    "console.calibration.status.closed": {"sv": "stängd", "en": "closed"},
    "console.calibration.close": {"sv": "Stäng övningen", "en": "Close the exercise"},
    "console.calibration.close_hint": {
        "sv": "När övningen stängs ser varje shopper sina svar bredvid panelens samlade bedömning, aldrig någon "
        "annans svar.",
        "en": "Once the exercise closes, each shopper sees their own answers beside the panel's consensus, never "
        "another shopper's.",
    },
    "console.calibration.new": {"sv": "Ny kalibrering", "en": "New calibration"},
    "console.calibration.new_hint": {
        "sv": "Alla valda shoppers bedömer samma underlag var för sig och ser inte varandras svar förrän övningen "
        "stängs.",
        "en": "Every chosen shopper scores the same reference on their own and sees nobody else's answers until the "
        "exercise closes.",
    },
    "console.calibration.exercise_title": {"sv": "Rubrik", "en": "Title"},
    "console.calibration.transcript": {
        "sv": "Utskrift (för skriven utskrift)",
        "en": "Transcript (for a written transcript)",
    },
    "console.calibration.recording": {"sv": "Inspelning (för inspelning)", "en": "Recording (for a recording)"},
    "console.calibration.visit_unit": {"sv": "Enhet (för gemensamt besök)", "en": "Unit (for a shared visit)"},
    "console.calibration.window_start": {"sv": "Besöksfönster från", "en": "Visit window from"},
    "console.calibration.window_end": {"sv": "Besöksfönster till", "en": "Visit window to"},
    "console.calibration.shoppers": {"sv": "Shoppers (minst två)", "en": "Shoppers (at least two)"},
    "console.calibration.submit": {"sv": "Skapa övningen", "en": "Create the exercise"},
    "console.calibration.done.created": {"sv": "Övningen är skapad.", "en": "The exercise was created."},
    "console.calibration.done.closed": {"sv": "Övningen är stängd.", "en": "The exercise was closed."},
    "console.calibration.done.not_open": {
        "sv": "Övningen var redan stängd eller finns inte.",
        "en": "The exercise was already closed or does not exist.",
    },
    "console.calibration.error.two_shoppers": {
        "sv": "Välj minst två olika shoppers: samstämmighet kräver två bedömningar av samma underlag.",
        "en": "Choose at least two different shoppers: agreement needs two scorings of the same reference.",
    },
    "console.calibration.error.recording_type": {
        "sv": "Inspelningen måste vara en ljud- eller filmfil som webbläsare spelar (MP3, MP4, OGG, WAV, WebM).",
        "en": "The recording must be an audio or video file browsers play (MP3, MP4, OGG, WAV, WebM).",
    },
}
