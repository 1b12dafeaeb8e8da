"""Locked-down services on the real stack: loopback, shared secret, CORS, limits.

The action server refuses calls without the shared secret (a forged `POST /webhook`
running the status action for someone else's conversation gets a 401); both servers
listen on 127.0.0.1 only; Rasa's token is not on any command line; browsers from other
origins are refused.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.stack import Stack, wait_http

FORGED_CALL = {
    "next_action": "action_case_status",
    "sender_id": "whatsapp:212600000009",
    "tracker": {"sender_id": "whatsapp:212600000009", "slots": {}, "latest_message": {"text": "statut"},
                "events": [], "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": None},
    "domain": {},
    "version": "3.6.21",
}


def status_of(
    url: str, body: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 60
) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_a_forged_action_server_call_is_refused(stack: Stack) -> None:
    body = json.dumps(FORGED_CALL).encode()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": stack.action_token}):
        status, answer, _ = status_of(f"{stack.action_url}/webhook", body, {"Content-Type": "application/json", **headers})
        assert status == 401 and b"MRE-" not in answer
    assert status_of(f"{stack.action_url}/health")[0] == 200
    assert status_of(f"{stack.action_url}/actions")[0] == 401
    # the real caller, with the secret, gets through
    status, _, _ = status_of(
        f"{stack.action_url}/webhook", body,
        {"Content-Type": "application/json", "Authorization": f"Bearer {stack.action_token}"},
    )
    assert status != 401


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.add(address)
    return found


def test_servers_listen_on_loopback_and_the_token_is_not_on_a_command_line(stack: Stack) -> None:
    for port in (stack.rasa_port, stack.action_port):
        assert listening_addresses(port) == {"0100007F"}, port  # 127.0.0.1 only
    for process in stack.processes.values():
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert stack.token.encode() not in command_line
        assert stack.action_token.encode() not in command_line


def test_other_origins_are_refused(stack: Stack) -> None:
    body = json.dumps({"sender": "cors-1", "message": "Bonjour"}).encode()
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    _, _, headers = status_of(url, body, {"Content-Type": "application/json", "Origin": "http://evil.example"})
    assert headers.get("Access-Control-Allow-Origin") != "http://evil.example"
    _, _, headers = status_of(url, body, {"Content-Type": "application/json", "Origin": stack.service_url})
    assert headers.get("Access-Control-Allow-Origin") == stack.service_url
    polling = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    assert status_of(polling, headers={"Origin": "http://evil.example"})[0] == 400
    assert status_of(polling, headers={"Origin": stack.service_url})[0] == 200


def test_rest_messages_are_rate_limited_per_conversation(stack: Stack) -> None:
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    body = json.dumps({"sender": "flood-1", "message": "/greet"}).encode()

    def one(_: int) -> int:
        return status_of(url, body, {"Content-Type": "application/json"}, timeout=600)[0]

    with ThreadPoolExecutor(35) as pool:  # all within the minute, whatever the machine's speed
        statuses = list(pool.map(one, range(35)))
    assert statuses.count(200) == 30 and statuses.count(429) == 5


def texts(messages: list[dict[str, object]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)


def test_a_hung_then_killed_action_server_is_told_to_the_user_in_their_language(stack: Stack) -> None:
    actions = stack.processes["actions"]
    os.killpg(actions.pid, signal.SIGSTOP)  # hung: connection accepted, no answer
    try:
        started = time.monotonic()
        answer = texts(stack.say("fault-hung", "Quel est le capital minimum pour une SARL ?", timeout=200))
        assert "problème technique" in answer
        assert time.monotonic() - started < 120  # ACTION_TIMEOUT, not Rasa's 300 s
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
    os.killpg(actions.pid, signal.SIGKILL)  # killed: connection refused
    actions.wait()
    try:
        assert "مشكل تقني" in texts(stack.say("fault-killed", "ما هو الحد الأدنى لرأس مال الشركة ذات المسؤولية المحدودة؟"))
        assert "technical problem" in texts(stack.say("fault-killed-en", "What is the minimum capital for an SARL company?"))
    finally:
        restarted = stack._spawn("actions", [str(stack.app_python), "-m", "assistant.actions.server"])
        wait_http(f"{stack.action_url}/ready", 240, restarted)  # serving, its knowledge index built
    log = stack.log("rasa")
    assert "fault-killed" not in log and "الحد الأدنى" not in log  # no ids or texts in the error logs
    assert "capital" in texts(stack.say("fault-hung", "Quel est le capital minimum pour une SARL ?")).lower()
