"""The meanings a clarifying question offers when a question's words cannot tell entries apart.

Two cases beside decision.options (close hits equally well named):
- an aspect asked alone, of no subject, in no conversation ("c koi les conditions ?", "ch7al l
  capital?"): the entries holding the aspect, one per subject (`of_aspect`), its qualifiers
  ("requis", "المطلوب": `qualifiers`) telling none apart;
- a short question naming no subject, whose words entries of several subjects hold ("hassan II ?",
  "le programme de l'OIM"): the close entries holding all of them (`same_words`).
- a subject named only by a name several subjects share ("c'est quoi MDM ?": MDM Invest or MDM
  Tamwil; data: shared_names.yml): the best entry of each (`of_shared_name`).
- an amount asked and nothing else, opening a conversation ("c combien ?", "how much?"): what creating
  costs or a company's capital (`of_amount`).
The question's other words must be held by every meaning: a word none holds is something else
asked ("taux du livret A ?", "the rate of the euro": no tax rate of ours), not a choice (`hold`).
Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Final

import yaml

from assistant.kb.decision import CLOSE_RATIO
from assistant.kb.phrases import PLACE_ENTITIES, Phrase
from assistant.kb.query import Hit
from assistant.kb.schema import Entry
from assistant.kb.vocabulary_model import Facet
from assistant.lexicon import raw_entries
from assistant.text import search_terms

#: A question of at most this many words, all held by close entries of different subjects, has
#: their meanings (`same_words`), offered among this many best entries.
SAME_WORDS_TERMS: Final = 3
SAME_WORDS_OPTIONS: Final = 3

#: A word held by at least this share of the entries ("much", "how much"), like one no entry holds
#: ("khas", "bakery"), is no evidence either way.
GENERIC_SHARE: Final = 0.1

@cache
def shared_names() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Names several subjects share (their terms -> the subjects: `shared_names.yml`)."""
    data = yaml.safe_load(Path(__file__).with_name("shared_names.yml").read_text(encoding="utf-8"))
    return {tuple(search_terms(word)): tuple(group["subjects"]) for group in data["shared"] for word in group["words"]}


def of_shared_name(ranked: Sequence[Hit], found: Sequence[Phrase], wanted_facets: Collection[str],
                   context_subject: str | None, words: Collection[str], terms_of: TermsOf,
                   context_topics: Collection[str] = ()) -> list[Hit]:
    """The meanings of a question naming a subject only by a name several subjects share (`found`:
    the names in it): the best entry of each (for the aspect asked if it has one), unless the
    conversation is about one of them, or the best one alone is of the conversation's topic ("et pour
    le compte bancaire ?" after the creation steps: the company's account), or the question's other
    `words` are not in all of them ("pension transférée": the pension transfer's tax)."""
    subjects = shared_name(found)
    if not subjects or context_subject in subjects:
        return []
    meanings = []
    for subject in subjects:
        own = [h for h in ranked if h.entry.subject == subject]
        fitting = [h for h in own if h.entry.facet in wanted_facets]
        if fitting or own:
            meanings.append((fitting or own)[0])
    if one_in_topic(meanings, ranked, context_topics):
        return []
    return meanings if len(meanings) >= 2 and hold(meanings, words, terms_of) else []


def shared_name(found: Sequence[Phrase]) -> tuple[str, ...]:
    """The subjects of the only name a question holds (`found`: the names in it, places aside) when
    several subjects share it ("pension", "MDM"); none otherwise."""
    named = [tuple(search_terms(p.text)) for p in found if p.entity not in PLACE_ENTITIES]
    return shared_names().get(named[0], ()) if len(named) == 1 else ()


def unknown(terms: Sequence[str], frequency: Mapping[str, int], known: Collection[str]) -> list[str]:
    """The question's words that no entry holds, nor the base's names and generic words (`known`)."""
    return [t for t in terms if not frequency.get(t) and t not in known and len(t) > 2 and t.isalpha()]


def elsewhere(words: Sequence[str], topic: str | None, topics: Collection[str]) -> bool:
    """Whether a question whose name or aspect has several meanings asks none of them: it holds a
    word no entry holds (`words`: "disability pension", "la pension dyal lwalida", "شروط الكفالة") and
    the NLU reads no topic of the meanings (`topics`; "MDM c'est quoi exactement ?" read as
    financing keeps its choice). Its meanings would be unrelated entries."""
    return bool(words) and topic not in topics


def one_in_topic(meanings: Sequence[Hit], ranked: Sequence[Hit], topics: Collection[str]) -> bool:
    """Whether the best entry alone of the meanings is of the conversation's `topics`: it answers."""
    return bool(meanings) and [m for m in meanings if m.entry.topic in topics] == [ranked[0]]


def qualifiers() -> list[str]:
    """Words qualifying an aspect asked alone that tell none of its meanings apart ("requis",
    "المطلوب", "khass": `assistant/words/conversation.yml`, `qualifiers`)."""
    return raw_entries("conversation", "qualifiers")


#: An entry's indexed terms (KnowledgeIndex.terms_of).
TermsOf = Callable[[Entry], Mapping[str, int]]


def telling(words: Sequence[str], frequency: Mapping[str, int], entries: int, qualifier_terms: Collection[str]) -> list[str]:
    """The words that may tell the meanings of an aspect asked alone apart: not a qualifier
    ("requis", "المطلوب"), nor a word many entries hold ("much") or none does ("kaykhelsou")."""
    return [t for t in words if t not in qualifier_terms and 0 < frequency.get(t, 0) < GENERIC_SHARE * entries]


def generic(words: Collection[str], frequency: Mapping[str, int], entries: int) -> bool:
    """Whether every one of the `words` is one many entries hold ("much" of "how much?"), naming nothing."""
    return all(frequency.get(t, 0) >= GENERIC_SHARE * entries for t in words)


def hold(options: Sequence[Hit], words: Collection[str], terms_of: TermsOf) -> bool:
    """Whether every option holds every one of the question's other `words`: such words do not
    tell them apart; one they lack asks something else."""
    return all(w in terms_of(h.entry) for w in words for h in options)


def of_aspect(options: list[Hit], ranked: Sequence[Hit], wanted_facets: Collection[str], words: Collection[str],
              terms_of: TermsOf, topic: str | None = None) -> list[Hit]:
    """The meanings of an aspect asked alone: the close `options` found (decision.options), else
    the entries holding the aspect (`aspect_meanings`); none unless the question's other `words`
    are in all of them ("what's the rate of the euro?": no tax rate holds "euro")."""
    meanings = options if len(options) >= 2 else aspect_meanings(ranked, wanted_facets, topic)
    # (the aspect's words are the question's form when the NLU's topic holds the best entry and no
    # meaning: "can i open a bank account?" is the bank account, not MDM Invest's or the
    # auto-entrepreneur's eligibility)
    best = ranked[0].entry if ranked else None
    if (topic and best is not None and best.topic == topic and best.facet not in wanted_facets
            and all(h.entry.topic != topic for h in meanings)):
        return []
    return meanings if hold(meanings, words, terms_of) else []


def of_general_aspect(ranked: Sequence[Hit], generals: Collection[str], wanted_facets: Collection[str],
                      words: Collection[str], terms_of: TermsOf) -> list[Hit]:
    """The meanings of an aspect asked alone that its general entry (`generals`) would answer, had the
    NLU read the message ("ما هي الرسوم؟", "ch7al ghadi tkalfni?" unread: what creating costs, the
    notary's fees or the negative certificate's): the general entry, then the best entry holding the
    aspect of each subject; none unless the question's other `words` are in all of them."""
    general = [h for h in ranked if h.entry.id in generals][:1]
    if not general:
        return []
    meanings = [*general, *(h for h in aspect_meanings(ranked, wanted_facets) if h.entry.id not in generals)][:SAME_WORDS_OPTIONS]
    return meanings if len(meanings) >= 2 and hold(meanings, words, terms_of) else []


def aspect_meanings(ranked: Sequence[Hit], wanted_facets: Collection[str], topic: str | None = None) -> list[Hit]:
    """The meanings of a question that names an aspect and nothing else, no entry answering the
    aspect in general ("c koi les conditions ?", "ch7al l capital?"): the best entry holding the
    aspect of each subject (two subjects at least), whatever how many of the aspect's words
    their keywords repeat; the question's words cannot tell them apart. When one topic holds
    the aspect for several subjects (the NLU's `topic`, else the one holding it most: the
    rates are the taxes'), its entries are the meanings; otherwise they come from any topic."""
    meanings: dict[str, Hit] = {}
    for hit in ranked:
        if hit.entry.facet in wanted_facets and hit.entry.subject and hit.entry.subject not in meanings:
            meanings[hit.entry.subject] = hit
    by_topic: dict[str, list[Hit]] = {}
    for hit in meanings.values():
        by_topic.setdefault(hit.entry.topic, []).append(hit)
    sizes = sorted((len(hits) for hits in by_topic.values()), reverse=True)
    if topic and len(by_topic.get(topic, [])) >= 2:
        return by_topic[topic]
    if sizes and sizes[0] >= 2 and (len(sizes) == 1 or sizes[0] > sizes[1]):
        return next(hits for hits in by_topic.values() if len(hits) == sizes[0])
    return list(meanings.values()) if len(meanings) >= 2 else []


def same_words(ranked: Sequence[Hit], terms: Sequence[str], terms_of: TermsOf, context_topics: Collection[str] = (),
               names: Mapping[str, Collection[str]] | None = None) -> list[Hit]:
    """Close entries of other subjects holding every word of a short question that names no
    subject, as the best one does ("hassan II ?": the fund or the foundation; "le programme
    de l'OIM": MEDMA or Mig-Ressources): its words have two meanings, in any topic (unless the best
    one alone is of the conversation's topics: `one_in_topic`). The best entry of each other subject
    is compared (another entry of the best one's subject is no other meaning). A word alone that the
    names of no one subject only hold (`names`: titles, synonyms, keywords by entry id; `one_subject`)
    is held by entries whose scores differ only by their lengths: "السقف؟" is the auto-entrepreneur's
    ceiling or MDM Invest's, as "le plafond ?" is (`ONE_WORD_RATIO`)."""
    unique = set(terms)
    # (a number alone is no word with meanings: "5" typed as a rating, "2026")
    if not ranked or not unique or len(unique) > SAME_WORDS_TERMS or not any(c.isalpha() for t in unique for c in t):
        return []
    best = ranked[0]
    if best.entry.subject is None and names is None:
        # a topic's general entry holding the words answers them ("chno homa les aides l MRE?"); one
        # that does not is one meaning among others ("lbank?": the bank offers, the company's account)
        return []

    def holds(hit: Hit) -> bool:
        return unique <= terms_of(hit.entry).keys()

    if not holds(best):
        return []
    others: dict[str, Hit] = {}  # the best hit of each other subject (a general entry is its own), in rank order
    for hit in ranked[1:]:
        if len(others) >= SAME_WORDS_OPTIONS - 1:
            break
        if (key := hit.entry.subject or hit.entry.id) != (best.entry.subject or best.entry.id) and key not in others:
            others[key] = hit
    one_word = len(unique) == 1 and names is not None and not named_by_one(ranked, unique, names)
    # (scored by the word alone: an unsure NLU's topic, which did not make the best one the answer, is no other word)
    close = [h for h in others.values()
             if (h.lexical >= ONE_WORD_RATIO * best.lexical if one_word
                 else h.score >= CLOSE_RATIO * best.score and h.lexical >= CLOSE_RATIO * best.lexical) and holds(h)]
    return [best, *close] if close and not one_in_topic([best, *close], ranked, context_topics) else []


#: The share of the best score another subject's entry holding the one word of a question needs to be
#: one of its meanings (`same_words`).
ONE_WORD_RATIO: Final = 0.75


def named_by_one(ranked: Sequence[Hit], words: Collection[str], names: Mapping[str, Collection[str]]) -> bool:
    """Whether the `words` are in the names of one subject's entries only (`one_subject`)."""
    return len({h.entry.subject for h in ranked if set(words) <= set(names.get(h.entry.id, ()))}) == 1


#: A question of at most this many words, all in the names of one subject's entries only, is about it.
ONE_SUBJECT_TERMS: Final = 2


def one_subject(ranked: Sequence[Hit], terms: Sequence[str], names: Mapping[str, Collection[str]],
                wanted_facets: Collection[str], entries_of: Callable[[str], Sequence[Entry]]) -> Entry | None:
    """The answer to a question of one or two words that only one subject's entries name (`names`:
    their titles, synonyms and keywords, by id: "le certificat ?", "الاشتراك"), however unsure the NLU
    is: that subject's entry for the aspect asked, else its overview. The words of several subjects'
    entries are their meanings (`same_words`); a word no entry names asks something else."""
    unique = set(terms)
    if not unique or len(unique) > ONE_SUBJECT_TERMS:
        return None
    named = [h.entry for h in ranked if unique <= set(names.get(h.entry.id, ()))]
    subjects = {e.subject for e in named}
    if not named or len(subjects) != 1 or None in subjects:
        return None
    own = entries_of(named[0].subject or "")
    return (next((e for e in named if e.facet in wanted_facets), None)
            or next((e for e in own if e.facet == "overview"), named[0]))


#: The aspect a bare "how much?" opening a conversation asks (facets.yml: how much money it takes).
AMOUNT_ASPECT: Final = "money"
#: Its meanings: the aspect's general entry, then this many subjects' own entries.
AMOUNT_OPTIONS: Final = 3


def of_amount(entries: Sequence[Entry], aspect: Facet | None) -> list[Entry]:
    """The meanings of a bare "how much?" opening a conversation ("c combien ?", "how much?", "شحال؟"),
    no subject, aspect or answer before it to ask it of: how much money it takes, the aspect's general
    entry (what creating a company costs), then the subjects' own entries of what it selects (the SARL's
    and the SA's capital), rather than "not in my sources"."""
    if aspect is None or not aspect.general:
        return []
    general = [e for e in entries if e.id == aspect.general]
    own = [e for facet in aspect.selects for e in entries if e.facet == facet and e.subject and e.id != aspect.general]
    meanings = [*general, *own][:AMOUNT_OPTIONS]
    return meanings if general and len(meanings) >= 2 else []
