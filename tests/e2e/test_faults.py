"""Faults on the real stack (issue #9): the user is told, nothing is lost, nothing is said twice.

One stack on loopback: Rasa (REST, WhatsApp and Twilio channels, the Graph API and
Twilio's REST API local fakes),
the action server and the service, the project database in PostgreSQL reached through a
TCP proxy that can refuse connections or hang (accept, never answer). Processes are
killed (SIGKILL) and stopped (SIGSTOP) for real.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.conftest import (
    ACTION_TIMEOUT,
    RECOVERY_SECONDS,
    SPOOL_RETRY_SECONDS,
    STALE_AFTER_SECONDS,
    fetch_value,
)
from tests.rasa_env.channels.support import (
    new_message_id,
    post_twilio,
    post_whatsapp,
    text_notification,
    twilio_form,
    wa_id,
)
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.faulty_tcp import FaultyProxy
from tests.support.stack import Stack

CAPITAL_FR = "Quel est le capital minimum pour une SARL ?"


# ------------------------------------------------------------------ helpers


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)


def whatsapp_texts(messages: list[dict[str, Any]]) -> str:
    """The text of messages sent through the Graph API (text bodies, interactive bodies)."""
    parts = []
    for message in messages:
        content = message.get(message.get("type", "")) or {}
        body = content.get("body")
        parts.append(str(body.get("text") if isinstance(body, dict) else body or ""))
    return " ".join(parts)


def wait_until(predicate: Any, timeout: float, step: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def fill_case_form(stack: Stack, sender: str) -> str:
    """A REST conversation up to the case's confirmation question; returns the summary shown."""
    say = lambda text: texts(stack.say(sender, text, timeout=120))  # noqa: E731
    say("Bonjour")
    say("je veux parler à un conseiller")
    assert "nom" in say("oui")
    assert "pays" in say("Karim Benali")
    assert "joindre" in say("Belgique")
    assert "région" in say("+32 470 12 34 56")
    assert "secteur" in say("Tanger")
    assert "stade" in say("tourisme")
    assert "Résumez" in say("création")
    summary = say("Je veux ouvrir un riad à Tanger, quelles aides existent ?")
    assert "Karim Benali" in summary
    return summary


def spool_lines(stack: Stack) -> list[str]:
    path = stack.data_dir / "spool" / "cases.jsonl"
    return [line for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def case_count(stack: Stack, conversation: str) -> int:
    code = (
        "import asyncio, sys\n"
        "from assistant.cases.store import CaseFilters, list_cases\n"
        "async def main():\n"
        "    cases, _ = await list_cases(CaseFilters(limit=500))\n"
        "    print(sum(1 for c in cases if c.conversation_id == sys.argv[1]))\n"
        "asyncio.run(main())\n"
    )
    import subprocess

    done = subprocess.run([str(stack.app_python), "-c", code, conversation], cwd=stack.root, env=stack.env,
                          capture_output=True, text=True, timeout=120)
    return int(done.stdout.strip() or -1)


def handled(database_url: str, message_id: str) -> bool:
    """Whether the channel marked the message handled: from then on neither a re-delivery nor the
    recovery loop takes it again (both take only claims not handled, assistant/channels/dedup.py)."""
    return bool(fetch_value(database_url, "SELECT handled_at IS NOT NULL FROM channel_inbound_messages "
                                          "WHERE message_id = $1", message_id))


def no_personal_data_in_error_logs(stack: Stack, *secrets_: str) -> None:
    for name in ("rasa", "actions", "service"):
        errors = [line for line in stack.log(name).splitlines() if " ERROR " in line or " WARNING " in line]
        for secret in secrets_:
            assert not [line for line in errors if secret in line], (name, secret)


# ------------------------------------------------------------------ the action server


def test_a_hung_then_killed_action_server_is_told_on_whatsapp(faulty: Stack, graph: FakeGraphApi) -> None:
    actions = faulty.processes["actions"]
    number = wa_id()
    os.killpg(actions.pid, signal.SIGSTOP)  # hung: connections accepted, never answered
    try:
        started = time.monotonic()
        assert post_whatsapp(faulty, text_notification(number, CAPITAL_FR))[0] == 200
        told = whatsapp_texts(graph.wait_messages(number, 1, timeout=120))
        took = time.monotonic() - started
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    assert "problème technique" in told
    assert took < ACTION_TIMEOUT + 30, took  # the action timeout (and the turn around it), not Rasa's 300 s
    faulty.kill("actions")  # killed: connections refused
    other = wa_id()
    try:
        assert post_whatsapp(faulty, text_notification(other, "ما هو الحد الأدنى لرأس مال الشركة ذات المسؤولية المحدودة؟"))[0] == 200
        assert "مشكل تقني" in whatsapp_texts(graph.wait_messages(other, 1, timeout=120))
    finally:
        faulty.restart("actions", timeout=240)
    assert post_whatsapp(faulty, text_notification(number, CAPITAL_FR))[0] == 200
    assert wait_until(lambda: "capital" in whatsapp_texts(graph.messages_to(number)[1:]).lower(), 120)
    no_personal_data_in_error_logs(faulty, number, other, "SARL", "الحد الأدنى")


# ------------------------------------------------------------------ the database


def test_a_case_submitted_while_the_database_refuses_is_kept_and_stored_by_the_timer(
    faulty: Stack, proxy: FaultyProxy
) -> None:
    sender = f"fault-refused-{secrets.token_hex(3)}"
    fill_case_form(faulty, sender)
    proxy.set_mode("refuse")
    try:
        answer = texts(faulty.say(sender, "oui", timeout=120))
        assert "ne répond pas" in answer and "pas perdue" in answer, answer
        assert len(spool_lines(faulty)) == 1
        time.sleep(SPOOL_RETRY_SECONDS * 2)  # retried by the timer meanwhile: still refused, still kept
        assert len(spool_lines(faulty)) == 1
    finally:
        proxy.set_mode("forward")
    # the database is back: the timer stores the case, nobody has to submit anything
    assert wait_until(lambda: not spool_lines(faulty), SPOOL_RETRY_SECONDS * 20)
    assert case_count(faulty, f"rest:{sender}") == 1
    status = texts(faulty.say(sender, "où en est ma demande ?", timeout=120))
    assert re.search(r"MRE-\d{4}-\d{6}", status), status
    no_personal_data_in_error_logs(faulty, sender, "Karim Benali", "Benali", "470 12 34 56")


def test_a_case_submitted_while_the_database_hangs_is_kept_and_stored_at_start_up(
    faulty: Stack, proxy: FaultyProxy, graph: FakeGraphApi
) -> None:
    sender = f"fault-hung-{secrets.token_hex(3)}"
    fill_case_form(faulty, sender)
    proxy.set_mode("hang")
    try:
        started = time.monotonic()
        answer = texts(faulty.say(sender, "oui", timeout=120))
        took = time.monotonic() - started
        assert "ne répond pas" in answer and "pas perdue" in answer, answer  # told, not a generic failure
        assert took < ACTION_TIMEOUT + 30, took
        assert len(spool_lines(faulty)) == 1
        # meanwhile the other channels keep answering (an answer or an honest failure, never silence)
        number = wa_id()
        assert post_whatsapp(faulty, text_notification(number, CAPITAL_FR))[0] == 200
        assert whatsapp_texts(graph.wait_messages(number, 1, timeout=120))
        faulty.kill("actions")  # the action server dies while the database hangs
    finally:
        proxy.set_mode("forward")
    assert len(spool_lines(faulty)) == 1  # on disk: survives the process
    faulty.restart("actions", timeout=240)  # start-up retries the spool
    assert wait_until(lambda: not spool_lines(faulty), 60)
    assert case_count(faulty, f"rest:{sender}") == 1
    no_personal_data_in_error_logs(faulty, sender, "Karim Benali", "Benali", "470 12 34 56")


# ------------------------------------------------------------------ Rasa


def rasa_dies_after_acknowledging(faulty: Stack, post: Callable[[], int], acknowledged: int) -> None:
    """A message is posted and acknowledged (`post` returns the status) while its turn is in
    progress (the action server stopped); then Rasa is killed before it answers."""
    actions = faulty.processes["actions"]
    os.killpg(actions.pid, signal.SIGSTOP)  # the turn is in progress when Rasa dies
    try:
        assert post() == acknowledged
        time.sleep(1.5)
        faulty.kill("rasa")
    finally:
        os.killpg(actions.pid, signal.SIGCONT)


# Rasa restarted on a loaded machine, two stale-claim waits (and the stack's start when run first)
@pytest.mark.timeout(900)
def test_a_whatsapp_message_acknowledged_before_rasa_died_is_answered_once(
    faulty: Stack, graph: FakeGraphApi, postgres: str
) -> None:
    number, message_id = wa_id(), new_message_id()
    delivery = text_notification(number, CAPITAL_FR, message_id)
    rasa_dies_after_acknowledging(faulty, lambda: post_whatsapp(faulty, delivery)[0], 200)  # acknowledged to Meta
    assert graph.messages_to(number) == []
    faulty.restart("rasa")
    # Meta re-delivers (same message id) until it is acknowledged; it is answered, once
    assert post_whatsapp(faulty, delivery)[0] == 200
    wait = STALE_AFTER_SECONDS + 60
    assert wait_until(lambda: "capital" in whatsapp_texts(graph.messages_to(number)).lower(), wait), \
        whatsapp_texts(graph.messages_to(number))
    graph.quiet(3)
    answered = len(graph.messages_to(number))
    assert post_whatsapp(faulty, delivery)[0] == 200  # another re-delivery
    # handled (not left for the recovery loop's next rounds), then a round after the re-delivery
    assert wait_until(lambda: handled(postgres, message_id), STALE_AFTER_SECONDS + 10)
    graph.quiet(RECOVERY_SECONDS + 1)
    assert len(graph.messages_to(number)) == answered
    user_turns = [e for e in faulty.tracker(f"whatsapp:{number}")["events"] if e["event"] == "user"]
    assert len(user_turns) == 1


# Rasa restarted on a loaded machine, two stale-claim waits (and the stack's start when run first)
@pytest.mark.timeout(900)
def test_a_twilio_message_acknowledged_before_rasa_died_is_answered_once(
    faulty: Stack, twilio_api: FakeTwilioApi, postgres: str
) -> None:
    number = "+2126" + str(secrets.randbelow(10**8)).zfill(8)
    sender = f"whatsapp:{number}"
    delivery = twilio_form(sender, CAPITAL_FR)  # one MessageSid, delivered again below
    rasa_dies_after_acknowledging(faulty, lambda: post_twilio(faulty, delivery)[0], 204)  # acknowledged to Twilio
    assert twilio_api.messages_to(sender) == []
    faulty.restart("rasa")
    # Twilio delivers the same MessageSid again: it is answered, once
    assert post_twilio(faulty, delivery)[0] == 204
    said = lambda: " ".join(m.get("Body") or "" for m in twilio_api.messages_to(sender))  # noqa: E731
    assert wait_until(lambda: "capital" in said().lower(), STALE_AFTER_SECONDS + 60), said()
    twilio_api.quiet(3)
    answered = len(twilio_api.messages_to(sender))
    assert post_twilio(faulty, delivery)[0] == 204  # another re-delivery
    # handled (not left for the recovery loop's next rounds), then a round after the re-delivery
    assert wait_until(lambda: handled(postgres, delivery["MessageSid"]), STALE_AFTER_SECONDS + 10)
    twilio_api.quiet(RECOVERY_SECONDS + 1)
    assert len(twilio_api.messages_to(sender)) == answered
    user_turns = [e for e in faulty.tracker(f"twilio:{number}")["events"] if e["event"] == "user"]
    assert len(user_turns) == 1


# ------------------------------------------------------------------ staff logins


def test_thirty_parallel_wrong_logins_over_http_check_at_most_the_limit(faulty: Stack) -> None:
    email = f"adviser-{secrets.token_hex(3)}@cellule.ma"
    password = secrets.token_urlsafe(16)
    import subprocess

    subprocess.run([str(faulty.app_python), "-m", "assistant.service.users", "create", "--email", email,
                    "--name", "Adviser"], cwd=faulty.root, env={**faulty.env, "STAFF_PASSWORD": password},
                   check=True, capture_output=True)

    def attempt(guess: str) -> int:
        import http.cookiejar

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{faulty.service_url}/staff/login", timeout=120).read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        form = urllib.parse.urlencode({"csrf": token.group(1), "email": email, "password": guess,
                                       "next": "/staff/"}).encode()
        try:
            with opener.open(f"{faulty.service_url}/staff/login", form, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(attempt, [f"wrong-{n}" for n in range(30)]))
    assert statuses.count(401) <= 5 and statuses.count(429) >= 25, statuses
    assert attempt(password) == 429  # the attacked account waits
