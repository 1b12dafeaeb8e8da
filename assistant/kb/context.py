"""What a question asks once the conversation's context is taken into account.

A short message continues the previous answer (slots `kb_subject`, `kb_facet`): it names
only a subject ("et pour une SA ?": the previous aspect is kept), only an aspect ("et le
capital ?", "et le délai ?": the previous subject is kept), or neither ("et combien
d'actionnaires ?": the previous subject is favoured, not imposed, unless the message points
back at it: "chkoun li kay3ti had lcredit?" after Forsa is about Forsa). An aspect the subject has
no entry for is answered by the aspect's general entry when one covers the subject's kind
(`general:` in knowledge/vocabulary/facets.yml: the creation time for "le délai pour créer
une SARL ?"), the subject staying the conversation's subject. Pure Python.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assistant.kb.schema import Entry
from assistant.kb.short import asked_groups, fact_kind, quantity_terms
from assistant.kb.vocabulary_model import Vocabulary
from assistant.lexicon import entries, raw_entries
from assistant.text import search_terms

#: A follow-up without the "follow_up" intent has at most this many content words.
SHORT_TERMS = 4
#: The subjects that are places: they qualify a question, they have no aspects of their own.
PLACE_KIND = "region:"
#: The subjects that are legal forms (legal_form:sarl).
LEGAL_FORM_KIND = "legal_form:"
#: The facets of a subject's entry stating what it costs, in the order a bare "how much?" asks them.
AMOUNT_FACETS = ("fees", "rates", "capital")


@dataclass
class Asked:
    """The subjects and aspects a question asks, named or inherited."""

    subjects: list[str]
    facets: set[str] = field(default_factory=set)  # the entry facets the aspects select
    facet_name: str | None = None  # the first aspect (a facets.yml name, or an inherited entry facet)
    context: str | None = None  # the conversation's subject, favoured only
    general: str | None = None  # the id of the aspect's general entry answering for `asked_for`
    asked_for: str | None = None  # the subject the general entry answers for
    follow_up: bool = False  # the message continues the previous answer
    overview: bool = False  # the subject has no entry for the aspect asked: its overview answers
    continues: bool = False  # the NLU reads a follow-up: the conversation's subject weighs as a named one
    kept: str | None = None  # the conversation's subject, whose overview answers when the aspect alone finds nothing
    inherited: bool = False  # what answers comes from the conversation (its subject, or its general aspect)


@dataclass(frozen=True)
class Conversation:
    """The previous answer's subject and facet, and the NLU's intent for this turn."""

    subject: str | None = None
    facet: str | None = None
    intent: str | None = None
    pointed: bool = False  # the message points back at it ("ce prêt", "had lcredit", "this loan")
    general: bool = False  # the subject is a general entry's (the creation time): creating in general
    continued: bool = True  # the message opens as a continuation ("et pour…", "and a…", "w…", "و…")
    elsewhere: bool = False  # the message asks where, when, why or who ("c'est où ?"), not the previous aspect
    named: str | None = None  # the aspect whose word is the subject's whole name ("la CNSS": the social cover)
    others: bool = False  # the message's own words name another subject's entry, none of this one ("cash" after the car)


def points_back(text: str) -> bool:
    """Whether a normalised message has a word pointing at what was just discussed."""
    return not entries("conversation", "pointers").isdisjoint(text.split())


def asks_elsewhere(text: str) -> bool:
    """Whether a normalised message asks where, when, why or who (`other_question_words`)."""
    return not entries("conversation", "other_question_words").isdisjoint(text.split())


def circumstance(subject: str | None, facet: str | None, text: str, facets_of: Mapping[str, set[str]]) -> bool:
    """Whether the conversation's subject is a place named beside an aspect answered in general
    ("salam, ana f tanja bghit nftah mahal, chno lwra9?": the documents, in Tangier): the place is
    a circumstance, not what the conversation is about; the next question continues the aspect
    ("w ch7al ghadi ykalfni?": the creation costs, not the region). Not when the place's own entry
    was the answer (the region asked about), nor when the message asks where, when or who (a
    normalised `text`: "fin nmchi?" is still the place's office)."""
    return bool(subject and subject.startswith(PLACE_KIND) and facet and facet not in facets_of.get(subject, set())
                and not asks_elsewhere(text))


def in_context(asked: Asked, aspects: Sequence[str], leftover: bool, n_terms: int, conversation: Conversation,
               facets_of: Mapping[str, set[str]], vocabulary: Vocabulary, entry_ids: Collection[str],
               mentions: Mapping[str, set[str]] | None = None) -> Asked:
    """`asked` completed by the conversation (`aspects`: the facets.yml names found in the
    question; `leftover`: it has words naming neither a subject nor an aspect;
    `facets_of`: subject -> facets of its entries; `mentions`: subject -> the aspects
    (facets.yml names) its entries' answers speak of)."""
    subjects, facets, facet_name = list(asked.subjects), set(asked.facets), asked.facet_name
    previous = conversation.subject
    after_general = general_follow_up(asked, aspects, n_terms, conversation, vocabulary, entry_ids)
    if after_general is not None:
        return after_general
    # (also read as one by the NLU after an aspect answered in general, of no subject: "faut-il une
    # autorisation spéciale ?" after the creation steps)
    # (or, however long, when it points back at the subject and names no other: "wach n9der nstafd
    # mnha ila kont f lkharij?" after Forsa asks about Forsa, not whoever's eligibility)
    follow_up = (bool(previous) and (
        conversation.intent == "follow_up" or (n_terms <= SHORT_TERMS and not (subjects and facets))
        or (conversation.pointed and not subjects and not conversation.others)
    )) or bool(conversation.facet and conversation.intent == "follow_up")
    inherited, kept, context = False, False, None
    if follow_up and previous:
        if not subjects and leftover and conversation.others and not conversation.pointed:
            pass  # "and how much cash can i bring?" after the car: its own words ask another subject
        elif not subjects and leftover and not facets and not conversation.pointed:
            context = previous
        elif not subjects:
            subjects, inherited = [previous], True
        # a new subject keeps the aspect when the message continues the answer ("et pour une SA ?"),
        # not when it asks what the subject is ("c quoi une SARL ?" after the VAT)
        keeps = inherited or conversation.continued or conversation.intent == "follow_up"
        # (not when the subject is kept too and the message asks something else: "c'est où ?")
        keeps = keeps and not (inherited and conversation.elsewhere)
        if not facets and not leftover and keeps and conversation.facet and conversation.facet != "overview":
            (facets, facet_name), kept = aspect_of(vocabulary, conversation.facet), True
            facets = carried(vocabulary, facet_name, facets, subjects, facets_of)
        # a subject that is itself an aspect's word is that aspect for the next subject having an entry
        # for it ("et pour un auto-entrepreneur ?" after the CNSS contributions: its social cover)
        named = vocabulary.facets.get(conversation.named or "")
        if (named is not None and not inherited and not leftover and keeps and not asked.facets
                and any(set(named.selects) & facets_of.get(s, set()) for s in subjects)):
            (facets, facet_name), kept = (set(named.selects), named.name), True
    elif not previous and subjects and not facets and not leftover and conversation.facet and (
            conversation.continued or conversation.intent == "follow_up"):
        # after an aspect answered in general, of no subject (the taxes a company pays), a subject
        # named in a continuation is asked that aspect when it has an entry for it ("et la cnss ?":
        # what the CNSS costs, its contributions; "et pour un auto-entrepreneur ?": its tax)
        selected, name = aspect_selects(vocabulary, conversation.facet)
        selected = carried(vocabulary, name, selected, subjects, facets_of)
        if selected & {f for s in subjects for f in facets_of.get(s, set())}:
            facets, facet_name, kept = selected, name, True
    available = {f for s in subjects for f in facets_of.get(s, set())}
    if (facets and subjects and not inherited and not leftover and conversation.facet and not facets & available
            and (conversation.continued or conversation.intent == "follow_up")
            and (moved := carried(vocabulary, aspect_of(vocabulary, conversation.facet)[1], set(), subjects, facets_of))):
        # an aspect a new subject has no entry for, its own name's ("w cnss?" after the SARL's creation
        # costs: the social cover), gives way to the conversation's aspect carried to it (its contributions)
        facets, facet_name, kept = moved, aspect_of(vocabulary, conversation.facet)[1], True
        available = {f for s in subjects for f in facets_of.get(s, set())}
    if not (facets and subjects) or facets & available:
        # "شحال خاصني نجيب من جيبي باش نستافد؟" after MDM Invest: its words, not another entry's
        return Asked(subjects, facets, facet_name, context, follow_up=follow_up,
                     continues=bool(context) and conversation.intent == "follow_up", inherited=inherited)
    # (only of the conversation's procedure, `also` in facets.yml: one named is itself asked, "et le RC ?"
    # after the negative certificate's delay, "combien de temps avant d'avoir le registre de commerce")
    general = general_entry(vocabulary, list(aspects) or ([facet_name] if facet_name else []), subjects, entry_ids,
                            any_kind=inherited and conversation.general, in_conversation=inherited or kept,
                            also=inherited)
    if general is not None:
        # "le délai pour créer une SARL ?", "et le délai ?" after the SARL: the creation time
        return Asked([], facets, facet_name, None, general, subjects[0], follow_up, inherited=inherited or kept)
    named_aspects = list(aspects) or ([facet_name] if facet_name else [])
    if inherited and previous and owns_aspects(previous, facets_of) and set(named_aspects) & (mentions or {}).get(previous, set()):
        # "et le capital ?" after the SARL AU: no entry of its own, but its answer says how its
        # capital works; the conversation keeps its subject (no "SA or SARL?"); not a place, whose
        # description only mentions the word
        return Asked([previous], set(), facet_name, None, follow_up=follow_up, overview=True, inherited=True)
    if inherited and previous and owns_aspects(previous, facets_of):
        # "ومن يمكنه الاستفادة منها؟" after Tamwilcom, "وشحال كتخلص؟" after the professional tax,
        # "fin ndir had lwra9?" after the negative certificate: the subject has no entry for the
        # aspect, and another subject's entry for it (MDM Invest's eligibility) does not answer
        # for it; its overview does
        return Asked([previous], set(), facet_name, None, follow_up=follow_up, overview=True, inherited=True)
    if inherited:
        # "and the tax rate?" after the SA: the SA has no tax entry; answer the aspect itself,
        # the conversation's subject still favoured when the turn has words of its own
        # (when nothing answers the aspect alone, "et les conditions ?" after the SARL, the subject's
        # overview does: the conversation keeps its subject, no other subject's conditions)
        # (a place is not favoured: it only qualifies the aspect, "il faut un capital minimum ?" after
        # the Souss-Massa region is the SA or SARL capital, not the region's description again)
        place = bool(previous and previous.startswith(PLACE_KIND))
        return Asked([], facets, facet_name, previous if leftover and not place else None, follow_up=follow_up,
                     kept=None if place else previous)
    # "SA eligibility" does not exist: the SA overview (not another aspect sharing the question's
    # words: "combien d'associés minimum pour une SA ?" is not the SA's minimum capital)
    return Asked(subjects, set(), facet_name, context, follow_up=follow_up, overview=True)


def to_create(asked: Asked, leftover: Collection[str], creating: Collection[str], text: str) -> Asked:
    """A legal form named with only words of creating one and no question word ("je veux créer
    une sarl", "bghit n7el SARL"): what the form is, its overview, not the entry whose title holds
    "créer" (its documents); "combien faut-il pour créer une SA ?" asks something of it."""
    if (asked.subjects and not asked.facets and not asked.general and leftover and set(leftover) <= set(creating)
            and all(s.startswith(LEGAL_FORM_KIND) for s in asked.subjects)
            and entries("conversation", "question_words").isdisjoint(text.split())):
        return replace(asked, overview=True)
    return asked


def general_follow_up(asked: Asked, aspects: Sequence[str], n_terms: int, conversation: Conversation,
                      vocabulary: Vocabulary, entry_ids: Collection[str]) -> Asked | None:
    """After an answer of no subject that an aspect's general entry gave (the creation steps), a
    follow-up naming another aspect and no subject ("وكم تكلف؟", "and how long?") asks that
    aspect in general: its general entry answers, not another subject's entry sharing its words
    (the negative certificate's fee)."""
    if conversation.subject or not conversation.facet or asked.subjects or not aspects:
        return None
    if conversation.intent != "follow_up" and n_terms > SHORT_TERMS:
        return None
    earlier = vocabulary.facets.get(aspect_of(vocabulary, conversation.facet)[1])
    if earlier is None or not (earlier.general and earlier.alone):
        return None
    for name in aspects:
        facet = vocabulary.facets.get(name)
        if facet is not None and facet.general and facet.alone and facet.general in entry_ids:
            return Asked([], set(asked.facets), asked.facet_name, None, facet.general, None, True, inherited=True)
    return None


def owns_aspects(subject: str, facets_of: Mapping[str, set[str]]) -> bool:
    """Whether a subject's overview speaks for its aspects: a programme, a tax, a procedure or a
    legal form with an overview entry; not a place, which only qualifies what is asked there."""
    return not subject.startswith(PLACE_KIND) and "overview" in facets_of.get(subject, set())


def aspect_of(vocabulary: Vocabulary, facet: str) -> tuple[set[str], str]:
    """The entry facets and the aspect (facets.yml name) an entry facet kept in the conversation
    stands for: "rates" (the VAT chosen among options) is the tax aspect, so "and for an
    auto-entrepreneur?" next asks for its tax."""
    if facet in vocabulary.facets:
        return {facet}, facet
    named = next((f for f in vocabulary.facets.values() if facet in f.selects), None)
    return ({facet, *named.selects}, named.name) if named is not None else ({facet}, facet)


def carried(vocabulary: Vocabulary, name: str | None, facets: set[str], subjects: Sequence[str],
            facets_of: Mapping[str, set[str]]) -> set[str]:
    """The entry facets an aspect kept in a conversation asks of new subjects having no entry for
    it: its `carried` ones when they have (facets.yml: the creation costs, then "w cnss?", what the
    CNSS costs, its contributions); `facets` otherwise."""
    aspect = vocabulary.facets.get(name or "")
    available = {f for s in subjects for f in facets_of.get(s, set())}
    if aspect is None or not subjects or facets & available or not set(aspect.carried) & available:
        return facets
    return set(aspect.carried)


def aspect_selects(vocabulary: Vocabulary, facet: str) -> tuple[set[str], str]:
    """`aspect_of`, with all the entry facets its aspect selects ("taxes", the taxes' overview:
    a tax's rates, a contribution's rates too)."""
    facets, name = aspect_of(vocabulary, facet)
    aspect = vocabulary.facets.get(name)
    return (facets | set(aspect.selects) if aspect is not None else facets), name


def general_entry(vocabulary: Vocabulary, aspects: Sequence[str], subjects: Sequence[str], entry_ids: Collection[str],
                  *, any_kind: bool = False, in_conversation: bool = True, also: bool = True) -> str | None:
    """The entry answering one of these aspects in general for one of these subjects (for any
    subject when the conversation is about creating in general: "and how much does it cost?"
    after the creation time is the creation costs). An aspect's general entry that does not
    answer it alone (`alone: false`: which tax a legal form pays) answers only when the subject
    or the aspect comes from the conversation (`in_conversation`: "et pour une SARL ?" after the
    VAT, "et les impôts ?" after the SARL); a question naming both ("what rate of tax does a SARL
    pay?") is searched as before."""
    for name in aspects:
        facet = vocabulary.facets.get(name)
        if facet is not None and not facet.alone and not in_conversation:
            continue
        for subject in subjects if facet is not None else ():
            general = (facet.general if any_kind else facet.general_for(subject, also=also)) if facet is not None else None
            if general is None and facet is not None and facet.alone and subject.startswith(PLACE_KIND):
                # a place qualifies the question: "les étapes pour créer une société à Tanger ?" are
                # the creation steps, not the region's description (its CRI stays the subject)
                general = facet.general
            if general in entry_ids:
                return general
    return None


def same_terms() -> frozenset[str]:
    """The terms saying "the same", supposing what one is or acknowledging the answer, nothing of
    their own (`same`, `supposing` and `acknowledgements` in assistant/words/conversation.yml)."""
    return frozenset(t for name in ("same", "supposing", "acknowledgements") for entry in raw_entries("conversation", name)
                     for t in search_terms(entry))


def own_terms(leftover: Collection[str]) -> set[str]:
    """A follow-up's words of its own: not "the same" (`same`), nor an SMS article ("1" in "et pr 1
    sarl ?": `sms_articles` in assistant/words/conversation.yml)."""
    articles = {t for entry in raw_entries("conversation", "sms_articles") for t in search_terms(entry)}
    return set(leftover) - same_terms() - articles


def in_place(facet: str | None, leftover: Collection[str], vocabulary: Vocabulary,
                    entry_ids: Collection[str]) -> str | None:
    """After an answer of an aspect in general (the creation steps, of no subject), a follow-up
    naming only a place ("is it the same in Tangier?", "et à Tanger ?") asks that aspect there:
    the aspect's general entry answers it (a place qualifies a question), not "nothing in my
    sources". None when the message says anything else than the place and "the same"."""
    if not facet or facet == "overview" or not set(leftover) <= same_terms():
        return None
    aspect = vocabulary.facets.get(aspect_of(vocabulary, facet)[1])
    if aspect is None or not aspect.general or not aspect.alone or aspect.general not in entry_ids:
        return None
    return aspect.general


def states_amount(entry: Entry) -> bool:
    """Whether an entry states an amount or a rate (a fact a bare "how much?" asks)."""
    return any(fact_kind(fact) in ("amount", "percent") for fact in entry.facts.values())


def how_much_entry(text: str, leftover: Collection[str], conversation: Conversation, of_subject: Sequence[Entry],
                   vocabulary: Vocabulary, by_id: Mapping[str, Entry]) -> str | None:
    """The entry a bare "how much?" asks after an answer stating no amount ("w ch7al?", "et combien ?",
    "وشحال؟"): the subject's own entry of what it costs (the negative certificate's fee, the CNSS
    contribution rates, the SA's capital), or, after an aspect answered in general (the creation
    steps, also asked for a legal form), what creating costs. None when the message says anything else, when the answer stated an
    amount (Intelaka's "how much?" is its loan, already said), when nothing answers it alone, or
    after an aspect of another topic answered in general ("and how much is it?" after the taxes
    a company pays asks their rates, not what creating costs)."""
    if not bare_amount(text, leftover):
        return None
    subject, facet = conversation.subject, conversation.facet
    earlier = vocabulary.facets.get(aspect_of(vocabulary, facet)[1]) if facet else None
    # (the aspect answered in general: of no subject, or for a legal form having no entry for it,
    # "chno les etapes bach ncree sarl"; not a subject's own overview, the trademark's "how?")
    answered = [e for e in of_subject if e.facet == facet]
    in_general = earlier is not None and bool(earlier.general and earlier.alone) and (
        not subject or conversation.general or (not answered and earlier.general_for(subject) is not None))
    if not in_general:
        if not subject or subject.startswith(PLACE_KIND):
            return None
        answered = answered or [e for e in of_subject if e.facet == "overview"]
        if not answered or any(states_amount(e) for e in answered):
            return None
        for aspect in AMOUNT_FACETS:
            costs = [e for e in of_subject if e.facet == aspect and states_amount(e)]
            if costs:
                return costs[0].id if len(costs) == 1 else None
        # (a procedure of creating a company, stating no cost: what creating costs, `also` in facets.yml)
        fees = vocabulary.facets.get("fees")
        general = fees.general_for(subject) if fees is not None and subject in fees.also else None
        return general if general in by_id else None
    fees = vocabulary.facets.get("fees")
    general = (fees.general_for(subject) if subject and not conversation.general else fees.general) if fees else None
    cost, before = by_id.get(general or ""), by_id.get(earlier.general or "") if earlier else None
    return cost.id if cost and before and cost.id != before.id and cost.topic == before.topic else None


def bare_amount(text: str, leftover: Collection[str]) -> bool:
    """Whether a message asks an amount and nothing else ("c combien ?", "how much?", "w ch7al?", "وشحال؟")."""
    return asked_groups(text) == [("amount", "percent")] and not set(own_terms(leftover)) - quantity_terms()


def aspect_alone(text: str, aspect_answers: Collection[str], aspects: int, leftover: Collection[str], subject: str | None,
                 by_id: Mapping[str, Entry]) -> str | None:
    """The general entry of the one aspect whose amount is asked in nothing but its own words, of no subject
    and out of a conversation ("combien je paye ?", "شحال كيكلف؟", "ch7al kaykellef?": what creating costs,
    whatever topic the NLU reads), not an entry whose keywords hold the same generic words (the CNSS
    contributions, "combien je paye pour un salarié"). None otherwise ("combien je paye d'impôts ?" asks
    two aspects; "le délai", asking no amount, is left to the search)."""
    if (subject or aspects != 1 or len(aspect_answers) != 1 or own_terms(leftover) - quantity_terms()
            or not any("amount" in kinds for kinds in asked_groups(text))):
        return None
    entry = by_id.get(next(iter(aspect_answers)))
    return entry.id if entry is not None else None

