"""What the case form and the plan form share: asking a slot, and a message that interrupts.

Each form asks a slot with its catalog response `utter_ask_<slot>` (one `AskSlot` subclass a
slot, so rasa-sdk registers `action_ask_<slot>`); in both, a cancellation ends the form and a
knowledge-base question asked instead of an answer is answered, then the same slot is asked
again (`interrupt`). What a message means is decided by `assistant.cases.answers`.
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.common import latest_text
from assistant.actions.knowledge import answer_question
from assistant.cases import answers, validation


def yes_no_answer(value: Any, tracker: Tracker) -> bool | None:
    """A yes/no slot's answer. Typed words that say yes or no decide, before the classifier's
    affirm/deny that filled the slot: it reads "pas d'accord" as affirm from its "d'accord",
    and a refusal must never become consent. A button's payload or words that say neither
    leave the classifier's reading, or nothing."""
    text = latest_text(tracker)
    typed = None if text.startswith("/") else validation.parse_yes_no(text)
    if typed is not None:
        return typed
    return value if isinstance(value, bool) else None


def intent_of(tracker: Tracker) -> tuple[str | None, float]:
    """The classifier's guess for the latest message, and its confidence."""
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0)


def cancel_requested(tracker: Tracker) -> bool:
    """The latest message cancels the form (see `answers.wants_cancel`)."""
    return answers.wants_cancel(latest_text(tracker), *intent_of(tracker))


def question_asked(tracker: Tracker) -> bool:
    """The latest message is a knowledge-base question (see `answers.looks_like_question`)."""
    return answers.looks_like_question(latest_text(tracker), *intent_of(tracker))


async def interrupt(
    slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, *, cancelled: str, not_found: str,
    questions: bool = True,
) -> dict[str, Any] | None:
    """A cancellation, or a knowledge-base question asked instead of the answer to `slot`.

    Cancelling sets the form's `cancelled` slot (its `required_slots` then ends it); a
    question is answered (or `not_found` said) and the same slot is asked again. None when
    the message is a normal answer.
    """
    if cancel_requested(tracker):
        return {slot: None, cancelled: True}
    if questions and question_asked(tracker):
        if await answer_question(dispatcher, tracker) is None:
            dispatcher.utter_message(response=not_found)
        return {slot: None}
    return None


async def answer_if_question(
    slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, *, not_found: str
) -> dict[str, Any] | None:
    """An answer the slot cannot read that is shaped like a question is answered as one (or
    `not_found` said), and the same slot is asked again: the investor is never told that a
    question is an invalid contact. None when the message is not shaped like a question."""
    if not answers.question_shaped(latest_text(tracker)):
        return None
    if await answer_question(dispatcher, tracker) is None:
        dispatcher.utter_message(response=not_found)
    return {slot: None}


class AskSlot(Action, abc.ABC):
    """Asks for one form slot with its catalog response `utter_ask_<slot>`."""

    @property
    @abc.abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []
