"""Answers from the knowledge base, in the conversation's language, with sources (which entries
answer a message, and its other part: message_search.py)."""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.actions.bad_input import reply_to_bad_input, reply_to_other_language
from assistant.actions.common import LONG_MESSAGE_CHARS, language_of, latest_text
from assistant.actions.feedback import (
    INTENT_VALUES,
    ask_feedback,
    parse_rating,
    rate_case,
    record_feedback,
    typed_rating,
)
from assistant.actions.message_search import TOPIC_INTENT, first_part, other_part, query_from_tracker, search_message
from assistant.actions.misread import misread_request
from assistant.actions.pending_answers import typed_yes_no
from assistant.contract import INTENT_TOPICS
from assistant.insights.controls import OperatorControls
from assistant.kb.parts import asks_something, names_a_country
from assistant.kb.schema import Entry
from assistant.kb.search import KnowledgeIndex, Query, Result, subjects_from_entities
from assistant.kb.service import KnowledgeService
from assistant.kb.short import short_answer, sources_behind
from assistant.kb.sources import review_line, sources_block
from assistant.languages import Language

knowledge = KnowledgeService()
controls = OperatorControls()

MAX_BUTTON_TITLE = 60
#: The button under a one-sentence answer that opens the entry's full answer.
MORE_LABEL: dict[str, str] = {"fr": "Plus de détails", "ar": "مزيد من التفاصيل", "en": "More details"}


def entry_button(entry: Entry, language: Language) -> dict[str, str]:
    title = entry.title[language]
    if len(title) > MAX_BUTTON_TITLE:
        title = title[: MAX_BUTTON_TITLE - 1].rstrip() + "…"
    intent = TOPIC_INTENT[entry.topic]
    return {"title": title, "payload": f'/{intent}{{"kb_entry": "{entry.id}"}}'}


def answer_entry(
    dispatcher: CollectingDispatcher, entry: Entry, language: Language, index: KnowledgeIndex, text: str = "",
    place: Entry | None = None,
) -> None:
    """Send one entry: title, answer, caveat if unconfirmed, its sources (official and
    newest first, dated in the user's language), the review line, next steps (and the entry of
    the place the question named, `place`, when it is not the answer: its CRI). When one
    precise aspect was asked and the entry has a one-sentence answer for it, that sentence
    comes instead of the whole text, with a "more details" button (phones)."""
    # the unconfirmed variant's response carries a "talk to an advisor" button itself
    buttons = [entry_button(r, language) for rid in entry.related[:2] if (r := index.get(rid))]
    answer = entry.answer[language]
    sources = entry.sources
    short = short_answer(entry, text, language) if text else None
    if short:
        # the sentence that answers the value asked, cited by the sources behind its facts
        answer, sources = short.text, sources_behind(entry.sources, short.facts)
        more = entry_button(entry, language)
        buttons = [{"title": MORE_LABEL[language], "payload": more["payload"]}, *buttons[:1]]
    if place is not None and place.id != entry.id and place.id not in entry.related[:2]:
        buttons.append(entry_button(place, language))
    dispatcher.utter_message(
        response="utter_kb_answer" if entry.confirmed else "utter_kb_answer_to_confirm",
        title=entry.title[language],
        answer=answer,
        caveat=entry.caveat.get(language, ""),
        sources=sources_block(sources, language),
        review=review_line(sources, entry.reviewed_on, language),
        buttons=buttons,
    )


def context_events(result: Result) -> list[dict[str, Any]]:
    best = result.best
    return [
        SlotSet("kb_entry", best.entry.id if best else None),
        SlotSet("kb_subject", result.subject),
        SlotSet("kb_facet", result.facet),
    ]


def clarification_events(result: Result) -> list[dict[str, Any]]:
    """After a clarifying question: the subject of the conversation is kept, the entry is
    forgotten, and the aspect asked becomes the conversation's (the facet the options share),
    so that naming a subject next ("pour une SARL", "ديال صارل") answers that aspect of it."""
    events = [SlotSet("kb_entry", None)]
    shared = {entry.facet for entry in result.options}
    # (options mixing an aspect's general entry and subjects' own, "papers?": the documents, whose general
    # entry is an overview, or the auto-entrepreneur's; the aspect asked is the one they hold)
    held = shared & set(result.asked)
    if result.asked and (len(shared) == 1 or len(held) == 1):
        events.append(SlotSet("kb_facet", (shared if len(shared) == 1 else held).pop()))
    return events


async def operator_handoff(tracker: Tracker, result: Result, query: Query) -> bool:
    """An operator switch hands this variety's or this topic's questions to the unit."""
    detection = (tracker.latest_message or {}).get("language_detection") or {}
    variety = detection.get("variety") or tracker.get_slot("language")
    topic = result.best.entry.topic if result.best and result.confident else INTENT_TOPICS.get(query.intent or "")
    return await controls.hands_off(variety, topic)


async def answer_or_say_not_found(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Answer from the knowledge base, or say honestly that no reliable answer was found."""
    events = await answer_question(dispatcher, tracker)
    if events is None and reply_to_other_language(dispatcher, tracker):  # "come posso aprire una società?"
        return [SlotSet("kb_entry", None)]
    if events is None:
        dispatcher.utter_message(response="utter_kb_not_found")
        return [SlotSet("kb_entry", None)]
    return events


async def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, require_confidence: bool = True
) -> list[dict[str, Any]] | None:
    """Answer from the knowledge base. Returns None when there is no good answer."""
    language = language_of(tracker)
    index = await knowledge.index()
    if index is None:
        dispatcher.utter_message(response="utter_kb_unavailable")
        return []
    query = query_from_tracker(tracker, index)
    result = search_message(index, query)
    if await operator_handoff(tracker, result, query):
        dispatcher.utter_message(response="utter_operator_handoff")
        return [SlotSet("kb_entry", None)]
    if result.outside and result.outside.body and require_confidence:
        # a subject outside the base: say so, name who handles it, offer the unit
        dispatcher.utter_message(response="utter_kb_outside", body=result.outside.body[language])
        return [SlotSet("kb_entry", None)]
    if not result.hits or (require_confidence and not result.confident and not result.worth_asking):
        return None
    if len(latest_text(tracker)) > LONG_MESSAGE_CHARS:
        dispatcher.utter_message(response="utter_message_too_long")
    if result.ambiguous:
        dispatcher.utter_message(
            response="utter_kb_clarify",
            buttons=[entry_button(entry, language) for entry in result.options[:3]],
        )
        return clarification_events(result)
    chosen = query_from_tracker(tracker, index).entry_id is not None  # "more details" asks for the whole text
    other = other_part(tracker, index, result)
    first = "" if chosen else first_part(latest_text(tracker), other)
    # (the place a typed question names: its entry offered beside the answer; a button's payload names none)
    place = None if chosen or latest_text(tracker).startswith("/") else index.place_entry(latest_text(tracker))
    answer_entry(dispatcher, result.hits[0].entry, language, index, first, place)
    if other.sure:  # the other part is clear: its answer follows the first one
        answer_entry(dispatcher, other.entries[0], language, index, other.text)
    elif other.entries:
        dispatcher.utter_message(
            response="utter_kb_other_part",
            title=other.entries[0].title[language],
            buttons=[entry_button(entry, language) for entry in other.entries],
        )
    return [*context_events(result), *ask_feedback(dispatcher, tracker)]



async def answer_embedded_question(dispatcher: CollectingDispatcher, tracker: Tracker, *,
                                   asking: bool = True) -> list[dict[str, Any]] | None:
    """A greeting, a thank-you or a status request that also asks a knowledge question
    ("Merci ! Dernière question : quel est le taux de TVA ?") gets the answer (`asking`: only
    when the message asks something; otherwise whenever the search answers it confidently).
    Returns None when the message asks nothing new."""
    text = latest_text(tracker)
    if asking and not asks_something(text):
        return None
    index = await knowledge.index()
    if index is None:
        return None
    result = search_message(index, query_from_tracker(tracker, index))
    best = result.best
    if asking and result.outside and result.outside.body:
        return await answer_question(dispatcher, tracker)  # not in the base: who handles it ("…my company makes losses?")
    # (a question with two meanings after a greeting, "slt c koi le taux svp", gets its clarifying question)
    clarifies = result.ambiguous and (result.confident or result.worth_asking)
    if best is None or not (result.confident or clarifies):
        return None
    if not clarifies and (result.ambiguous or best.entry.id == tracker.get_slot("kb_entry")):
        return None
    return await answer_question(dispatcher, tracker)


async def answer_named_subject(dispatcher: CollectingDispatcher, tracker: Tracker, *,
                               questioned: bool = False) -> list[dict[str, Any]] | None:
    """A message the classifier reads as out of scope that names a subject of the knowledge base
    (the entity patterns read the live base: an entry published after the training, "visa" in
    "Faut-il un visa pour créer mon entreprise… ?") is answered by that subject's entry when the
    search answers it clearly; None otherwise (a place alone never counts: "louer une voiture à Casa").
    `questioned`: a question or a wish read as a request for a person, naming none ("هل أحتاج إلى شريك
    مغربي؟", "bghit nchri ard"), is answered whenever the search answers it clearly, a subject named by
    entities or not, or clarified when the search offers close entries worth asking between.
    A place named beside an aspect of a business opened there ("I want to open a small hotel in
    Marrakech, what documents do I need?") is answered by the aspect's general entry or the topic's
    overview the search answers it with clearly (the place is where the project will be)."""
    index = await knowledge.index()
    if index is None:
        return None
    entities = (tracker.latest_message or {}).get("entities") or []
    subjects = subjects_from_entities(entities, index.vocabulary)
    named = {s for s in subjects if not s.startswith("region:")}
    text = latest_text(tracker)
    # (a place beside words of opening a business: "hotel pas cher à Marrakech" opens none)
    placed = len(named) < len(subjects) and bool(set(index.question_terms(text)[1]) & index.creating_terms)
    # a country of the diaspora after "from" names doing it from abroad ("c faisable depuis la
    # belgique ?", read out of scope by the classifier): the entry on creating from abroad
    from_abroad = index.get(index.vocabulary.abroad_overview or "")
    if from_abroad is not None and from_abroad.subject and names_a_country(latest_text(tracker)):
        named.add(from_abroad.subject)
    if not (named or questioned or placed):
        return None
    result = search_message(index, query_from_tracker(tracker, index))
    best = result.best
    if questioned and result.ambiguous and (result.confident or result.worth_asking) and not result.outside:
        return await answer_question(dispatcher, tracker)  # close entries: the clarifying question
    if (questioned or placed) and result.outside and result.outside.body:
        # not in the base: who handles it ("بغيت نحل صيدلية", "je veux ouvrir une franchise à Casablanca")
        return await answer_question(dispatcher, tracker)
    # (for a place, the aspect's general entry or the topic's overview: never the place's own entry)
    placed = placed and best is not None and bool({"general", "aspect", "topic"} & set(best.reasons))
    if best is None or not result.confident or result.ambiguous or result.outside or not (
            best.entry.subject in named or questioned or placed):
        return None
    return await answer_question(dispatcher, tracker)


class QuestionFirstAction(Action, abc.ABC):
    """A social message (greeting, thanks) that may carry a question: "salut ! quelles sont
    les étapes… ?" is answered as the question; otherwise `respond` runs. Right after the
    rating question, "4 sur 5, merci" is the rating."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rated = await typed_rating(dispatcher, tracker)
        if rated is not None:
            return rated
        events = await answer_embedded_question(dispatcher, tracker)
        if events is not None:
            return events
        return self.respond(dispatcher, tracker)

    @abc.abstractmethod
    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]: ...


class ActionThank(QuestionFirstAction):
    """Thanks are acknowledged; a question asked in the same breath is answered."""

    def name(self) -> str:
        return "action_thank"

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_you_are_welcome")
        return []


class ActionAnswerFeedback(QuestionFirstAction):
    """ "Useful" / "not useful", pressed or typed in any variety (feedback.py); a typed thank-you
    asking the next question ("ok merci, w ila bghit nbi3 les parts dyali?") gets its answer."""

    def name(self) -> str:
        return "action_answer_feedback"

    def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        return record_feedback(dispatcher, tracker, INTENT_VALUES.get(intent, "up"))


class ActionRateCase(Action):
    """A closed case rated ("4 sur 5", "5 étoiles"). A message read as a rating while no rating
    was asked, which the search answers confidently, is the question it is: "le fonds hassan 2"
    (a programme's name with a number) is the fund, not a score."""

    def name(self) -> str:
        return "action_rate_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        pressed = any(e.get("entity") == "rating_value" for e in (tracker.latest_message or {}).get("entities") or [])
        if not tracker.get_slot("rating_case") and not pressed:
            events = None
            if parse_rating(latest_text(tracker)) is None:  # "150 000 DH" read as a rating: no entry for it
                events = await reply_to_bad_input(dispatcher, tracker)
            if events is None:
                events = await answer_embedded_question(dispatcher, tracker, asking=False)
            if events is not None:
                return events
        return await rate_case(dispatcher, tracker)


class ActionAnswerQuestion(Action):
    """Answers a question about creating a business, or says honestly it does not know."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if not asks_something(latest_text(tracker)):  # "Yes, erase everything" under its question
            rated = await typed_rating(dispatcher, tracker)  # "bof" under the rating question
            if rated is not None:
                return rated
            answered = await typed_yes_no(dispatcher, tracker, domain)
            if answered is not None:
                return answered
        events = await reply_to_bad_input(dispatcher, tracker)  # "150 000 DH" read as a financing question
        if events is not None:
            return events
        # a request read as a question ("can i get an adviser" as a follow-up)
        misread = misread_request(dispatcher, tracker)
        if misread is not None:
            return misread
        return await answer_or_say_not_found(dispatcher, tracker)
