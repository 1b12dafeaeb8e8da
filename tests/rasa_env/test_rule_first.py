"""The next action from the rules alone when a rule decides (assistant.rule_first, #15).

On the trained model, every prediction of conversations in each language is made both
ways, the rules first and Rasa's own (every policy, then the ensemble): the same action,
confidence, policy, events and flags each time. The rules alone decided each of these
turns (TED not run); after a rejected action every policy runs, as in Rasa.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import rule_first
from assistant.settings import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"

CONVERSATIONS = [
    ["Bonjour", "Quel est le capital minimum pour une SARL ?", "et pour une SA ?", "merci"],
    ["مرحبا", "ما هي مدة صلاحية الشهادة السلبية؟", "شكرا"],
    ["salam", "wach n9der ndir auto-entrepreneur w ana sakn f Italia?", "bghit nhder m3a chi wa7ed"],
    ["Hello", "What is MDM Invest?", "and the tax rate?", "xqzw plorf", "I want to talk to a human", "bye"],
    ["شنو هو MDM Invest؟", "réponds en arabe", "ok", "👍"],
]


@pytest.fixture(scope="module")
def processor() -> MessageProcessor:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` first")
    agent = asyncio.run(load_agent(model_path=str(MODEL)))
    assert agent.processor is not None
    return agent.processor


def untimed(events: list[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in event.as_dict().items() if k != "timestamp"} for event in events]


def summary(prediction: PolicyPrediction) -> dict[str, Any]:
    return {"action": prediction.max_confidence_index, "confidence": prediction.max_confidence,
            "policy": prediction.policy_name, "priority": prediction.policy_priority,
            "events": untimed(prediction.events), "optional_events": untimed(prediction.optional_events),
            "e2e": prediction.is_end_to_end_prediction, "no_user": prediction.is_no_user_prediction,
            "hide_rule_turn": prediction.hide_rule_turn, "action_metadata": prediction.action_metadata}


def test_the_rules_first_predict_what_every_policy_would(processor: MessageProcessor,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ted_calls = []
    ted_predict = TEDPolicy.predict_action_probabilities

    def counted(self: TEDPolicy, *args: Any, **kwargs: Any) -> PolicyPrediction:
        ted_calls.append(1)
        return ted_predict(self, *args, **kwargs)

    # each graph node holds its component's function (taken when the model was loaded)
    nodes = processor.graph_runner._instantiated_nodes.values()  # type: ignore[attr-defined]
    ted_nodes = [node for node in nodes if node._component_class is TEDPolicy]
    assert len(ted_nodes) == 1
    monkeypatch.setattr(ted_nodes[0], "_fn", counted)
    assert isinstance(rule_first.plan(processor), rule_first.RulesFirst)
    domain = processor.domain
    by_rules = by_all = 0
    for number, texts in enumerate(CONVERSATIONS):
        tracker = DialogueStateTracker.from_events(
            f"rules-first-{number}", [ActionExecuted("action_session_start"), SessionStarted(),
                                      ActionExecuted("action_listen")], slots=domain.slots)
        for text in texts:
            parsed: Any = asyncio.run(processor.parse_message(UserMessage(text)))
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            for _ in range(4):
                before = len(ted_calls)
                fast = rule_first._predict_next_with_tracker(processor, tracker.copy())
                by_rules += len(ted_calls) == before
                full = rule_first._original(processor, tracker.copy())
                assert summary(fast) == summary(full), text
                action = domain.action_names_or_texts[full.max_confidence_index]
                # the same action rejected (a form refusing, say): every policy runs, as in Rasa
                rejected = tracker.copy()
                rejected.update(ActionExecutionRejected(action))
                before = len(ted_calls)
                fast = rule_first._predict_next_with_tracker(processor, rejected.copy())
                by_all += len(ted_calls) > before
                assert summary(fast) == summary(rule_first._original(processor, rejected.copy())), text
                tracker.update(ActionExecuted(action, full.policy_name, full.max_confidence))
                if action == "action_listen":
                    break
    assert by_rules > 0 and by_all > 0, (by_rules, by_all)


def test_a_rejected_action_or_an_unsure_rule_is_not_decisive() -> None:
    certain = PolicyPrediction([0.0, 1.0], RulePolicy.__name__, 6)
    unsure = PolicyPrediction([0.3, 0.0], RulePolicy.__name__, 6)
    listening = DialogueStateTracker.from_events("d", [ActionExecuted("action_listen")])
    rejected = DialogueStateTracker.from_events("d", [ActionExecuted("action_listen"),
                                                      ActionExecutionRejected("some_form")])
    assert rule_first.decisive(certain, listening)
    assert not rule_first.decisive(unsure, listening)
    assert not rule_first.decisive(certain, rejected)
