"""What WhatsAppOutput sends to the Graph API (a local fake), limits and retries included."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from assistant.channels.graph_api import GraphApiClient, RetryPolicy
from assistant.channels.whatsapp import WhatsAppOutput
from tests.support.fakes import FakeGraphApi

USER = "212600000001"
FAST = RetryPolicy(attempts=4, base_delay=0.01, timeout=2.0)


def send(graph: FakeGraphApi, message: dict[str, Any], retry: RetryPolicy = FAST) -> list[dict[str, Any]]:
    """Sends one Rasa bot message through a fresh output channel; returns what the fake accepted."""

    async def run() -> None:
        client = GraphApiClient(f"{graph.url}/v21.0", "PHONE_ID", "token-123", retry)
        output = WhatsAppOutput(client, "guidance_unit_reply", "fr")
        await output.send_response(USER, dict(message))
        await client.close()

    asyncio.run(run())
    return graph.messages_to(USER)


def buttons(*titles: str) -> list[dict[str, str]]:
    return [{"title": title, "payload": f"/choice_{number}"} for number, title in enumerate(titles, start=1)]


def test_text_goes_to_the_phone_number_endpoint_with_the_token(fresh_graph: FakeGraphApi) -> None:
    sent = send(fresh_graph, {"text": "*Bonjour* !"})
    assert sent == [{
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": USER, "type": "text",
        "text": {"body": "*Bonjour* !", "preview_url": False},
    }]
    request = fresh_graph.requests[0]
    assert request.path == "/v21.0/PHONE_ID/messages"
    assert request.headers["Authorization"] == "Bearer token-123"


def test_long_text_is_split_at_sentence_boundaries(fresh_graph: FakeGraphApi) -> None:
    text = "Le capital minimum n'est plus exigé pour une SARL. " * 150  # ~7,600 characters
    bodies = [m["text"]["body"] for m in send(fresh_graph, {"text": text})]
    assert len(bodies) == 2
    assert all(len(body) <= 4096 and body.endswith("SARL.") for body in bodies)


def test_up_to_three_short_buttons_are_reply_buttons(fresh_graph: FakeGraphApi) -> None:
    (sent,) = send(fresh_graph, {"text": "Voulez-vous ouvrir une demande ?", "buttons": buttons("Oui", "Non")})
    assert sent["type"] == "interactive"
    assert sent["interactive"] == {
        "type": "button",
        "body": {"text": "Voulez-vous ouvrir une demande ?"},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": "/choice_1", "title": "Oui"}},
            {"type": "reply", "reply": {"id": "/choice_2", "title": "Non"}},
        ]},
    }


def test_more_buttons_or_long_titles_become_a_list_with_full_titles_in_descriptions(
    fresh_graph: FakeGraphApi,
) -> None:
    titles = ("Formes juridiques", "Démarches de création", "Financements",
              "Parler à un conseiller de la cellule d'orientation")
    (sent,) = send(fresh_graph, {"text": "Quelle est votre question ?", "buttons": buttons(*titles)})
    interactive = sent["interactive"]
    assert interactive["type"] == "list" and interactive["action"]["button"] == "Options"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == ["/choice_1", "/choice_2", "/choice_3", "/choice_4"]
    assert all(len(row["title"]) <= 24 for row in rows)
    assert rows[3]["title"] == "Parler à un conseiller…"
    assert rows[3]["description"] == "Parler à un conseiller de la cellule d'orientation"
    assert "description" not in rows[0]


def test_more_than_ten_options_become_a_numbered_text_menu(fresh_graph: FakeGraphApi) -> None:
    titles = [f"Région {n}" for n in range(1, 13)]
    (sent,) = send(fresh_graph, {"text": "Dans quelle région ?", "buttons": buttons(*titles)})
    assert sent["type"] == "text"
    assert sent["text"]["body"].startswith("Dans quelle région ?\n\n1. Région 1\n2. Région 2\n")
    assert sent["text"]["body"].endswith("\n12. Région 12")


def test_a_long_text_with_buttons_keeps_the_interactive_body_within_1024(fresh_graph: FakeGraphApi) -> None:
    text = "Une explication détaillée. " * 80 + "Voulez-vous en savoir plus ?"
    sent = send(fresh_graph, {"text": text, "buttons": buttons("Oui", "Non")})
    assert [m["type"] for m in sent] == ["text", "interactive"]
    body = sent[1]["interactive"]["body"]["text"]
    assert len(body) <= 1024 and body.endswith("Voulez-vous en savoir plus ?")


def test_arabic_is_sent_as_utf8_and_lists_get_an_arabic_label(fresh_graph: FakeGraphApi) -> None:
    text = "ما هو سؤالكم؟"
    (sent,) = send(fresh_graph, {"text": text, "buttons": buttons("الأشكال القانونية", "إجراءات الإنشاء",
                                                                  "التمويل", "التحدث مع مستشار")})
    assert sent["interactive"]["action"]["button"] == "الخيارات"
    raw = fresh_graph.requests[0].body
    assert text.encode("utf-8") in raw  # not \u escapes
    assert json.loads(raw.decode("utf-8"))["interactive"]["body"]["text"] == text


def test_staff_reply_outside_the_window_is_a_template_message(fresh_graph: FakeGraphApi) -> None:
    custom = {
        "whatsapp_template": {"name": "guidance_unit_reply", "language": "ar",
                              "parameters": ["سارة", "مرحبا،\nملفكم قيد المعالجة."]},
        "text": "مرحبا،\nملفكم قيد المعالجة.",
    }
    (sent,) = send(fresh_graph, {"custom": custom})
    assert sent["type"] == "template"
    assert sent["template"] == {
        "name": "guidance_unit_reply",
        "language": {"code": "ar"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "سارة"},
            {"type": "text", "text": "مرحبا، ملفكم قيد المعالجة."},  # no new lines in parameters
        ]}],
    }


def test_other_custom_messages_send_their_text(fresh_graph: FakeGraphApi) -> None:
    assert [m["text"]["body"] for m in send(fresh_graph, {"custom": {"text": "Salut"}})] == ["Salut"]
    fresh_graph.reset()
    assert send(fresh_graph, {"custom": {"foo": "bar"}}) == []  # nothing to send: not dumped as JSON


def test_server_errors_are_retried_with_backoff(fresh_graph: FakeGraphApi) -> None:
    fresh_graph.fail_next(500, 503)
    sent = send(fresh_graph, {"text": "Bonjour"})
    assert [r.status for r in fresh_graph.requests] == [500, 503, 200]
    assert [m["text"]["body"] for m in sent] == ["Bonjour"]


def test_rate_limits_are_retried(fresh_graph: FakeGraphApi) -> None:
    fresh_graph.fail_next(429)
    send(fresh_graph, {"text": "Bonjour"})
    assert [r.status for r in fresh_graph.requests] == [429, 200]


def test_client_errors_are_logged_not_retried_and_never_leak_the_text(
    fresh_graph: FakeGraphApi, caplog: pytest.LogCaptureFixture
) -> None:
    fresh_graph.fail_next(400)
    with caplog.at_level(logging.INFO, logger="assistant.channels"):
        assert send(fresh_graph, {"text": "Mon secret 0612345678"}) == []
    assert [r.status for r in fresh_graph.requests] == [400]
    assert "code=131400" in caplog.text
    assert "secret" not in caplog.text and USER not in caplog.text


def test_giving_up_after_the_last_attempt_does_not_raise(fresh_graph: FakeGraphApi) -> None:
    fresh_graph.fail_next(500, 500, 500, 500)
    assert send(fresh_graph, {"text": "Bonjour"}) == []
    assert len(fresh_graph.requests) == 4


def test_timeouts_are_retried(fresh_graph: FakeGraphApi) -> None:
    fresh_graph.delay = 0.5
    retry = RetryPolicy(attempts=2, base_delay=0.01, timeout=0.2)
    assert send(fresh_graph, {"text": "Bonjour"}, retry) == []  # both attempts time out
    fresh_graph.wait_for(lambda requests: len(requests) == 2, timeout=5)
