"""Alerts sent by the mail round: a new follow-up case to the organisation's case owner (set on its console page)
and, still open at its due time, to its escalation address; a new assignment with its brief and a returned visit to
the shopper (`users email`); each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicescore.db.alerts import set_user_email
from servicescore.db.mail import UNCONFIRMED
from servicescore.db.tables import Alert, Assignment, Case, InstrumentVersion, Organisation, Response, Unit, User, Wave
from servicescore.identity import Role
from servicescore.mail.transport import OutboxTransport
from servicescore.settings import Settings
from tests.integration.conftest import MakeUser
from tests.support.console_world import field_error, log_in, post_form
from tests.support.mail_world import NOW, Client, DiesAfterTheMark, Killed, MailWorld, in_loop, mail_round, outbox

pytestmark = pytest.mark.anyio


async def _happenings() -> None:
    """A follow-up case of Zorngården, an assignment for the shopper and one of their visits returned."""
    ids = {
        "org": (await Organisation.select(Organisation.id).where(Organisation.slug == "zorngarden").first())["id"],
        "unit": (await Unit.select(Unit.id).where(Unit.slug == "museet").first())["id"],
        "version": (await InstrumentVersion.select(InstrumentVersion.id).first())["id"],
        "wave": (await Wave.select(Wave.id).first())["id"],
        "shopper": (await User.select(User.id).where(User.username == "shopper").first())["id"],
    }
    answered = Response(id="00000000-0000-4000-8000-000000000001", instrument_version=ids["version"],
                        wave=ids["wave"], organisation=ids["org"], unit=ids["unit"], status="complete")  # fmt: skip
    await answered.save()
    await Case(response=answered.id, organisation=ids["org"], due_at=NOW + timedelta(days=2)).save()
    for scenario in ("Fråga om visningar på engelska och om barnvagn.", "Ring och fråga om öppettider."):
        assignment = Assignment(shopper=ids["shopper"], unit=ids["unit"], instrument_version=ids["version"],
                                wave=ids["wave"], scenario=scenario, window_start=NOW + timedelta(days=1),
                                window_end=NOW + timedelta(days=8))  # fmt: skip
        await assignment.save()
    await Assignment.update({Assignment.status: "returned"}).where(Assignment.id == assignment.id)
    returned = Response(id="00000000-0000-4000-8000-000000000002", instrument_version=ids["version"],
                        wave=ids["wave"], organisation=ids["org"], unit=ids["unit"], assignment=assignment.id,
                        status="returned")  # fmt: skip
    await returned.save()


async def test_cases_assignments_and_returned_visits_are_e_mailed_once(
    client: Client, settings: Settings, world: MailWorld, make_user: MakeUser
) -> None:
    await make_user("konsult", Role.consultant)
    await make_user("shopper", Role.shopper, display_name="Sam Lind")
    await log_in(client)
    page = "/console/organisations/1"  # Zorngården, the first organisation of the world
    bad = await post_form(client, f"{page}/case-owner", {"email": "ärenden", "escalation": ""}, form_page=page)
    assert bad.status_code == 400
    assert "Skriv en hel e-postadress" in field_error(bad, "case_owner", "email")
    addresses = {"email": "kundtjanst@zorngarden.example", "escalation": "chef@zorngarden.example"}
    saved = await post_form(client, f"{page}/case-owner", addresses, form_page=page)
    assert saved.headers["location"] == f"{page}?done=case_owner"
    assert in_loop(client, set_user_email, client.app.state.engine, "shopper", "sam.lind@example.org")

    in_loop(client, _happenings)
    report = mail_round(client, settings, NOW)
    assert (report.alerts, report.sent) == (3, 3)  # the returned visit's assignment is no longer due
    sent = {str(m["Subject"]): m for m in outbox(settings.outbox_dir)}
    assert sorted((str(m["To"]), subject) for subject, m in sent.items()) == [
        ("kundtjanst@zorngarden.example", "Nytt återkopplingsärende hos Zorngården"),
        ("sam.lind@example.org", "Ditt besök på Zornmuseet har skickats tillbaka"),
        ("sam.lind@example.org", "Nytt uppdrag: Zorngården, Zornmuseet"),
    ]
    brief = sent["Nytt uppdrag: Zorngården, Zornmuseet"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert brief.startswith("Hej Sam Lind!\n\nDu har fått ett nytt uppdrag.\n\nVar: Zorngården, Zornmuseet\nNär: ")
    assert "Scenario: Fråga om visningar på engelska och om barnvagn.\n\nhttp://127.0.0.1:8000/visits/" in brief
    case = sent["Nytt återkopplingsärende hos Zorngården"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "http://127.0.0.1:8000/portal/cases/1\n" in case
    assert mail_round(client, settings, NOW + timedelta(minutes=1)).alerts == 0
    late = mail_round(client, settings, NOW + timedelta(days=2))  # the case's due time, nobody has made contact
    assert (late.alerts, late.sent) == (1, 1)
    escalated = [m for m in outbox(settings.outbox_dir) if str(m["To"]) == "chef@zorngarden.example"]
    assert [str(m["Subject"]) for m in escalated] == ["Försenat ärende hos Zorngården: ingen kontakt ännu"]
    assert mail_round(client, settings, NOW + timedelta(days=3)).alerts == 0


async def test_an_alert_left_sending_by_a_dead_round_is_never_sent_again(
    client: Client, settings: Settings, world: MailWorld, make_user: MakeUser
) -> None:
    """The round died with the alert in the server's hands but its final dot: no later round sends it again (that
    could only duplicate it); once its claim has run out it is recorded as sent, unconfirmed, as a message is."""
    await make_user("shopper", Role.shopper, display_name="Sam Lind")
    assert in_loop(client, set_user_email, client.app.state.engine, "shopper", "sam.lind@example.org")
    in_loop(client, _happenings)
    with pytest.raises(Killed):
        mail_round(client, settings, NOW, DiesAfterTheMark(OutboxTransport(settings.outbox_dir)))
    assert mail_round(client, settings, NOW + timedelta(minutes=1)).sent == 1  # the other alert; the first is held
    assert mail_round(client, settings, NOW + timedelta(minutes=11)).sent == 0
    rows = in_loop(client, _alerts)
    assert sorted((row["status"], row["reason"]) for row in rows) == [("sent", ""), ("sent", UNCONFIRMED)]
    assert [str(m["Subject"]) for m in outbox(settings.outbox_dir)] == [
        "Ditt besök på Zornmuseet har skickats tillbaka"
    ]


async def _alerts() -> list[dict[str, object]]:
    return await Alert.select(Alert.status, Alert.reason)
