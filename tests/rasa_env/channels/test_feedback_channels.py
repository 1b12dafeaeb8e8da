"""Feedback on answers and the rating of a closed case on WhatsApp (reply buttons) and
Twilio (numbered options), in the real Rasa server against the fake Graph and Twilio APIs
(#14 item 6)."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from typing import Any

from tests.rasa_env.channels.support import (
    conversation_of,
    http,
    notification,
    post_twilio,
    post_whatsapp,
    text_notification,
    twilio_form,
    wa_id,
    wait_user_events,
)
from tests.support.cases import closed_case
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack

QUESTION = "Quel capital minimum pour une SARL ?"
ASKED = "Cette réponse vous a-t-elle été utile ?"
RATING = "Comment évaluez-vous l'aide de la cellule"

def execute(stack: Stack, conversation: str, channel: str, action: str) -> None:
    """What the guidance service's rating worker does once a case is closed."""
    path = urllib.parse.quote(conversation, safe=":+")
    status, body = http(f"{stack.rasa_url}/conversations/{path}/execute?output_channel={channel}&token={stack.token}",
                        json.dumps({"name": action}).encode(), {"Content-Type": "application/json"})
    assert status == 200, body


def slot(stack: Stack, conversation: str, name: str, timeout: float = 15) -> Any:
    """The slot once set (the answer is sent before the tracker is saved)."""
    deadline = time.monotonic() + timeout
    while (value := stack.tracker(conversation)["slots"].get(name)) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def interactive_with(graph: FakeGraphApi, sender: str, text: str) -> dict[str, Any]:
    return graph.wait_for(lambda _: next(
        (m for m in graph.messages_to(sender)
         if m["type"] == "interactive" and text in m["interactive"]["body"]["text"]), None))


def text_with(graph: FakeGraphApi, sender: str, text: str) -> str:
    def found(_: object) -> str | None:
        for m in graph.messages_to(sender):
            body = m["text"]["body"] if m["type"] == "text" else m.get("interactive", {}).get("body", {}).get("text", "")
            if text in body:
                return str(body)
        return None
    return str(graph.wait_for(found))


def test_whatsapp_feedback_with_reply_buttons(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, QUESTION))
    asked = interactive_with(fresh_graph, sender, ASKED)
    buttons = asked["interactive"]["action"]["buttons"]
    assert asked["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in buttons] == ["/feedback_helpful", "/feedback_unhelpful"]
    assert [b["reply"]["title"] for b in buttons] == ["👍 Utile", "👎 Pas utile"]
    question = wait_user_events(stack, sender, 1)[0]
    reply = {"type": "button_reply", "button_reply": {"id": "/feedback_unhelpful", "title": "👎 Pas utile"}}
    post_whatsapp(stack, notification(sender, "interactive", interactive=reply))
    text_with(fresh_graph, sender, "Merci de nous l'avoir dit")
    feedback = slot(stack, conversation_of(sender), "answer_feedback")
    assert feedback == {"value": "down", "message_id": question["message_id"], "question": QUESTION, "comment": None}


def whatsapp_rating_asked(stack: Stack, graph: FakeGraphApi) -> tuple[str, str, str, dict[str, Any]]:
    """A new WhatsApp conversation whose case is closed and the rating asked: (sender, conversation id,
    case reference, the rating question sent)."""
    sender = wa_id()
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    wait_user_events(stack, sender, 1)
    conversation = conversation_of(sender)
    reference = closed_case(stack, conversation, "whatsapp")
    execute(stack, conversation, "whatsapp", "action_ask_case_rating")
    return sender, conversation, reference, interactive_with(graph, sender, RATING)


def test_whatsapp_case_rating_after_the_case_is_closed(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    sender, conversation, reference, asked = whatsapp_rating_asked(stack, fresh_graph)
    assert reference in asked["interactive"]["body"]["text"]
    ids = [b["reply"]["id"] for b in asked["interactive"]["action"]["buttons"]]
    assert ids == ['/rate_case{"rating_value": "5"}', '/rate_case{"rating_value": "3"}', '/rate_case{"rating_value": "1"}']
    reply = {"type": "button_reply", "button_reply": {"id": ids[0], "title": "😊 Très satisfait(e)"}}
    post_whatsapp(stack, notification(sender, "interactive", interactive=reply))
    text_with(fresh_graph, sender, "Merci pour votre évaluation")
    assert slot(stack, conversation, "case_rating") == {"reference": reference, "value": 5, "comment": None}
    # then "anything to add?" with one reply button to skip; a typed comment joins the rating
    more = interactive_with(fresh_graph, sender, "Souhaitez-vous ajouter quelque chose")
    assert [(b["reply"]["id"], b["reply"]["title"]) for b in more["interactive"]["action"]["buttons"]] == [("/deny", "Non merci")]
    post_whatsapp(stack, text_notification(sender, "Très bon suivi par Mme Bennani"))
    text_with(fresh_graph, sender, "votre remarque est transmise")
    rated = {"reference": reference, "value": 5, "comment": "Très bon suivi par Mme Bennani"}
    deadline = time.monotonic() + 15
    while slot(stack, conversation, "case_rating") != rated and time.monotonic() < deadline:
        time.sleep(0.2)
    assert slot(stack, conversation, "case_rating") == rated


def test_twilio_feedback_and_rating_with_numbered_options(stack: Stack, fresh_twilio: FakeTwilioApi) -> None:
    sender = "whatsapp:+2126" + str(uuid.uuid4().int)[:8]
    conversation = conversation_of(sender)
    post_twilio(stack, twilio_form(sender, QUESTION))
    asked = fresh_twilio.wait_for(lambda _: next(
        (m for m in fresh_twilio.messages_to(sender) if ASKED in m["Body"]), None))
    assert asked["Body"].endswith(f"{ASKED}\n\n1. 👍 Utile\n2. 👎 Pas utile")
    post_twilio(stack, twilio_form(sender, "1"))
    events = wait_user_events(stack, sender, 2)
    assert events[-1]["text"] == "/feedback_helpful"
    fresh_twilio.wait_for(lambda _: any("Merci pour votre avis" in m["Body"] for m in fresh_twilio.messages_to(sender)))
    assert slot(stack, conversation, "answer_feedback")["value"] == "up"

    reference = closed_case(stack, conversation, "twilio")
    execute(stack, conversation, "twilio", "action_ask_case_rating")
    rating = fresh_twilio.wait_for(lambda _: next(
        (m for m in fresh_twilio.messages_to(sender) if RATING in m["Body"]), None))
    # the question asks for a score from 1 to 5: the numbered options are that scale, in order (#14)
    assert "de 1 à 5." in rating["Body"]
    assert rating["Body"].endswith("\n\n1. 😞 Pas satisfait(e)\n2. 🙁 Peu satisfait(e)\n3. 😐 Moyennement"
                                   "\n4. 🙂 Satisfait(e)\n5. 😊 Très satisfait(e)")
    post_twilio(stack, twilio_form(sender, "1"))  # 1 out of 5, and option 1
    fresh_twilio.wait_for(lambda _: any("Merci pour votre évaluation" in m["Body"]
                                        for m in fresh_twilio.messages_to(sender)))
    assert wait_user_events(stack, sender, 3)[-1]["text"] == '/rate_case{"rating_value": "1"}'
    # a pressed (typed) option says nothing more than the rating: no comment; "1" picks the skip option
    assert slot(stack, conversation, "case_rating") == {"reference": reference, "value": 1, "comment": None}
    more = fresh_twilio.wait_for(lambda _: next(
        (m for m in fresh_twilio.messages_to(sender) if "Souhaitez-vous ajouter" in m["Body"]), None))
    assert more["Body"].endswith("\n\n1. Non merci")
    post_twilio(stack, twilio_form(sender, "1"))
    fresh_twilio.wait_for(lambda _: any("Entendu" in m["Body"] for m in fresh_twilio.messages_to(sender)))
    assert slot(stack, conversation, "case_rating") == {"reference": reference, "value": 1, "comment": None}


def test_whatsapp_a_typed_number_beside_the_reply_buttons_is_the_score(stack: Stack, fresh_graph: FakeGraphApi) -> None:
    """WhatsApp shows the three ratings as reply buttons, not numbered: "1" typed is 1 out of 5 (#14)."""
    sender, conversation, reference, asked = whatsapp_rating_asked(stack, fresh_graph)
    assert asked["interactive"]["type"] == "button" and "de 1 à 5." in asked["interactive"]["body"]["text"]
    post_whatsapp(stack, text_notification(sender, "1"))
    text_with(fresh_graph, sender, "Merci pour votre évaluation")
    assert slot(stack, conversation, "case_rating") == {"reference": reference, "value": 1, "comment": None}
