"""What the knowledge base's vocabulary holds (subject synonyms, cities, question facets, subjects
outside the base, business words) and what it says of a text: a business spoken of, an aspect
asked, a subject outside the base, a region named. Built from the files by vocabulary.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from assistant.kb.phrases import Phrase, PhraseTable

#: The article Arabizi glues to a Latin word ("lprojet", "lmchro3"), before a word of four letters or more.
GLUED_ARTICLE: Final = re.compile(r"(?<![\w'])l(?=[a-z][a-z0-9]{3,})")


@dataclass
class Facet:
    name: str
    selects: tuple[str, ...]
    #: the entry answering this aspect for a subject of one of `kinds` that has no entry of its
    #: own for it ("combien de temps pour créer une SARL ?": the creation time, not the SARL)
    general: str | None = None
    kinds: tuple[str, ...] = ()
    #: whether the general entry also answers the aspect asked of no subject ("quels documents ?");
    #: not the tax one: "quel est le taux ?" is the VAT or the corporate tax, not who pays it
    alone: bool = True
    #: subjects of those kinds that the general entry does not speak for, and the entry of their
    #: own answering instead: the auto-entrepreneur registers at the RNAE, so "how long?" for
    #: it is its registration, not the company's creation time
    instead: dict[str, str] = field(default_factory=dict)
    #: the general entry answers the aspect asked of no subject only about a business, or with nothing
    #: else (`alone: business`): "what taxes do i pay on my apartment?" is no company's taxes
    business: bool = False
    #: subjects of other kinds the general entry answers this aspect for too: the procedures creating a
    #: company goes through, whose entries state no cost, time or documents of their own ("وشحال
    #: كيتخلص؟" after the commercial register: what creating costs, not the register again)
    also: tuple[str, ...] = ()
    #: words asking this aspect when the message holds nothing else ("and taxes?", "الضرائب؟", "w dariba?":
    #: the taxes a company pays; "et les impôts sur les sociétés ?" is the corporate tax)
    bare: tuple[str, ...] = ()
    #: the entry facets this aspect, kept in a conversation, asks of a subject having no entry for it
    #: ("et la CNSS ?" after the creation costs: what the CNSS costs, its contribution rates)
    carried: tuple[str, ...] = ()

    def general_for(self, subject: str, *, also: bool = True) -> str | None:
        """The general entry answering this aspect for `subject` (`legal_form:sarl`), if any (not for
        the `also` subjects unless `also`)."""
        if subject in self.instead:
            return self.instead[subject]
        return self.general if subject.split(":", 1)[0] in self.kinds or (also and subject in self.also) else None


@dataclass(frozen=True)
class OutsideTopic:
    """A subject the knowledge base does not cover, and who handles it (when known)."""

    name: str
    body: dict[str, str]  # fr/ar/en name of the competent body; empty when none is known
    #: subjects of entries this topic is a side of that no entry covers (the CNSS's refunds of
    #: medical costs, a car's yearly tax): named beside the topic's words, they do not make the
    #: question one of theirs
    sides_of: frozenset[str] = frozenset()
    #: aspects (facets.yml names) that, asked of one of `sides_of` having no entry for them, are this topic
    #: ("والضرائب؟" after buying land: the taxes of a purchase, which no entry states)
    aspects: frozenset[str] = frozenset()
    #: aspects that, asked beside the topic's words, make the question one of the base's ("do i pay tax
    #: if my company makes a loss?": the minimum contribution), not this topic
    yields_to: frozenset[str] = frozenset()


@dataclass
class Vocabulary:
    phrases: list[Phrase] = field(default_factory=list)
    city_region: dict[str, str] = field(default_factory=dict)  # city surface form -> region slug
    region_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # region slug -> fr/ar/en name
    facets: dict[str, Facet] = field(default_factory=dict)
    facet_phrases: list[Phrase] = field(default_factory=list)
    outside: dict[str, OutsideTopic] = field(default_factory=dict)
    outside_phrases: list[Phrase] = field(default_factory=list)
    business_phrases: list[Phrase] = field(default_factory=list)
    #: asking what to do ("chno ndir?"): a generic verb of doing, not a business (outside.yml `advice_words`)
    advice_phrases: list[Phrase] = field(default_factory=list)
    #: the asker's own company ("ma société", "فالشركة"), among the business words (outside.yml `company_words`)
    company_phrases: list[Phrase] = field(default_factory=list)
    #: what people open (activities.yml: a snack, a bakery), also among the business phrases
    activity_phrases: list[Phrase] = field(default_factory=list)
    topic_overviews: dict[str, str] = field(default_factory=dict)  # topic -> id of its overview entry
    topic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic -> words naming it
    topic_words_beside: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ... only beside a business word
    audience_words: tuple[str, ...] = ()  # whom the base serves ("mre", "الجالية"): topics.yml `audience`
    abroad_overview: str | None = None  # the entry answering a vague question from abroad
    abroad_topics: tuple[str, ...] = ()  # ... when the NLU reads one of these topics (or none)
    abroad_words: tuple[str, ...] = ()  # ... and the question has only these words
    #: aspects two words name together, anywhere in a question (facets.yml `together`): "how
    #: much" and "money" ask what it costs ("شحال خاص ديال الفلوس؟"), though neither does alone
    together: list[tuple[str, PhraseTable, PhraseTable]] = field(default_factory=list)
    #: subjects outside the base two words name together (outside.yml `together`): a spouse and a
    #: residence card ("my wife is dutch, how does she get a residence card?"), though neither does alone
    outside_together: list[tuple[str, PhraseTable, PhraseTable]] = field(default_factory=list)
    #: subjects two words name together, anywhere in a question, in any mix of languages (topics.yml
    #: `together`): a change and a part of one's company ("how do i change the gérant of my SARL")
    subjects_together: list[tuple[str, PhraseTable, PhraseTable]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.subjects = PhraseTable(self.phrases, mixed=True)
        self.facet_table = PhraseTable(self.facet_phrases)
        self.outside_table = PhraseTable(self.outside_phrases)
        self.business_table = PhraseTable(self.business_phrases)
        self.advice_table = PhraseTable(self.advice_phrases)
        self.company_table = PhraseTable(self.company_phrases)
        self.activity_table = PhraseTable(self.activity_phrases)

    def about_business(self, text: str, *, aspects: bool = True) -> bool:
        """Whether a text says something about a business (not only a place); with
        `aspects=False`, an aspect alone ("prix", "impôt") does not count. Arabizi glues the
        article to its word ("lprojet", "lbusiness"): such a word counts as the word. Asking what
        to do ("chi wa7ed dkhel l dari f nador, chno ndir?") says nothing of a business."""
        text = self.advice_table.strip(text)
        found = self.business_table.find(text) or self.business_table.find(GLUED_ARTICLE.sub(" ", text))
        return bool(found or (aspects and self.facet_table.find(text)))

    def outside_in(self, text: str) -> list[OutsideTopic]:
        """Subjects outside the base that a text names (visa, passport, inheritance…)."""
        names = dict.fromkeys(p.value for p in self.outside_found(text))
        return [self.outside[name] for name in names]

    def outside_found(self, text: str) -> list[Phrase]:
        """The phrases naming a subject outside the base in a text: its words, or the first of two
        words found together (`outside_together`)."""
        found = self.outside_table.find(text)
        for _, first, second in self.outside_together:
            if (words := first.find(text)) and (others := second.find(text)):
                # (the two words together: "pension" alone is an entry's word, with "years of work" it is not)
                found += [Phrase(p.entity, p.value, f"{p.text} {others[0].text}") for p in words]
        if any(self.outside[p.value].yields_to for p in found if p.value in self.outside):
            asked = {f.name for f in self.facets_in(text)}
            found = [p for p in found if p.value not in self.outside or not self.outside[p.value].yields_to & asked]
        return found

    def side_asked(self, subjects: Iterable[str], aspects: Iterable[str]) -> OutsideTopic | None:
        """The topic outside the base one of these aspects asked of one of these subjects is (outside.yml
        `aspects`: the taxes of buying land are the notary's and the DGI's, not the purchase's entry again)."""
        subjects, aspects = set(subjects), set(aspects)
        return next((t for t in self.outside.values() if t.aspects & aspects and t.sides_of & subjects), None)

    def find(self, text: str, entity_types: Iterable[str] | None = None) -> list[Phrase]:
        return self.subjects.find(text, entity_types)

    def named_together(self, text: str) -> tuple[list[str], list[str]]:
        """The subjects two words of a text name together (`subjects_together`), and the second words found
        (the part of the company changed: "siège social")."""
        subjects: list[str] = []
        parts: list[str] = []
        for subject, first, second in self.subjects_together:
            if first.find(text) and (found := second.find(text)):
                subjects.append(subject)
                parts += [p.text for p in found]
        return list(dict.fromkeys(subjects)), list(dict.fromkeys(parts))

    def region_of(self, text: str) -> str | None:
        """The region slug a free-text place ("Tanger", "جهة الشرق", "casa") names, if any."""
        for phrase in self.find(text, ("region", "city")):
            if phrase.entity == "region":
                return phrase.value
            return self.city_region.get(phrase.value)
        return None

    def facets_in(self, text: str) -> list[Facet]:
        names = dict.fromkeys(p.value for p in self.facet_table.find(text))
        rest = self.facet_table.strip(text, min_terms=2) if names else text  # ("how much" of "how much time" asks the time)
        for name, first, second in self.together:
            if name not in names and first.find(text) and second.find(rest):
                names[name] = None
        return [self.facets[name] for name in names]
