"""The aspects a question asks, read against the subjects it names: a word inside a subject's
name asks no aspect its entries lack, a word that is both a subject's whole name and an aspect,
a short follow-up naming an aspect of the conversation's subject, the aspects that lead the
ranking, and the general entries' subjects that only name an aspect. A mixin of the
KnowledgeIndex (search.py) over the question's names (reading.py), apart from them because what
a question asks of a subject is its own job.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from assistant.kb.context import owns_aspects, points_back
from assistant.kb.phrases import PhraseTable
from assistant.kb.reading import QuestionReading
from assistant.kb.short import asked_groups
from assistant.kb.terms import content_terms
from assistant.kb.vocabulary_model import Facet
from assistant.text import search_terms


def whole_name(aspect: str, name: str) -> bool:
    """Whether an aspect's words are a name's whole name, function words aside ("CNSS" in "la
    CNSS": the name is the aspect's word; "lwra9" in "lwra9 dyal charika" is only part of it)."""
    return len(content_terms(aspect)) >= len(content_terms(name))



class AspectReading(QuestionReading):
    """The aspect-reading helpers of the KnowledgeIndex (the attributes are set by its constructor)."""

    def aspect_names_in_context(self, text: str, terms: list[str], subjects: list[str], facets: list[Facet],
                                context: str) -> list[str]:
        """`subjects` without those a short message in a conversation names only by words of an
        aspect asked of the conversation's subject: "w lwra9?" after the SARL is its documents,
        not the documents procedure the word also names; "w chno lwra9 li khassin?" after MDM
        Invest asks its papers, not a company's (the general entry on documents does not speak for
        a programme: its own entries do). Only when the message says nothing else, and never a
        subject of the same kind: "et la TVA ?" after the corporate tax is the VAT, though "tva"
        is also a word of the tax aspect. A word pointing back makes them all aspects ("fin ndir
        had lwra9?" after the negative certificate: "these papers" are the certificate)."""
        held = self.facets_of.get(context, set())
        both = [p for p in self.vocabulary.find(text) if self.vocabulary.facet_table.names(p.text)
                or (f"{p.entity}:{p.value}" in self.general_subjects and self.vocabulary.facet_table.find(p.text))]
        alone = set(terms) <= {t for p in both for t in search_terms(p.text)}
        pointed = points_back(text)
        # (the conversation's subject speaks for an aspect its kind has no general entry for: its overview)
        speaks = [f for f in facets if set(f.selects) & held
                  or (f.general and f.general_for(context) is None and owns_aspects(context, self.facets_of))]
        if not ((alone and speaks) or pointed):
            return subjects
        kind = context.split(":", 1)[0]
        aspect_words = {s for p in both for s in self.subjects_in(p.text) if pointed or not s.startswith(kind + ":")}
        return [s for s in subjects if s not in aspect_words]

    def _aspects_asked(self, text: str, terms: Sequence[str] = (), context: str | None = None) -> list[Facet]:
        """The aspects a text asks, without a word inside a subject's name that its entries do
        not hold as an aspect ("المسؤولية" in "الشركة ذات المسؤولية المحدودة", "liability" in
        "limited liability company": the SARL, not its liability). In a conversation (`terms` given), a
        word alone may ask another aspect than in a phrase (facets.yml `bare`: "and taxes?" after the
        creation steps, all of them), unless the conversation's subject has a general entry for the
        word's aspect ("et les impôts ?" after the SARL: which tax it pays) or it asks an amount ("ch7al dariba?")."""
        facets = self.vocabulary.facets_in(text)
        bare = self.bare_aspects.get(tuple(terms))
        if bare is not None and not asked_groups(text) and not any(context and f.general_for(context) for f in facets):
            return [self.vocabulary.facets[bare]]
        outside_names = {f.name for f in self.vocabulary.facets_in(self.vocabulary.subjects.strip(text))}
        inside: dict[str, bool] = {}  # aspect -> whether a subject naming it holds it
        for phrase in self.vocabulary.find(text):
            subject = f"{phrase.entity}:{phrase.value}"
            for found in self.vocabulary.facet_table.find(phrase.text):
                facet = self.vocabulary.facets[found.value]
                # (a word of the name, not the whole name: "lwra9" is the documents, asked)
                held = (whole_name(found.text, phrase.text) or subject in self.general_subjects
                        or bool(set(facet.selects) & self.facets_of.get(subject, set())))
                inside[facet.name] = inside.get(facet.name, False) or held
        return [f for f in facets if f.name in outside_names or inside.get(f.name, True)]

    def _name_or_aspect(self, text: str, subjects: list[str], facets: list[Facet],
                        context: str | None = None) -> tuple[list[str], list[Facet], set[str]]:
        """A word that is both a subject's whole name and an aspect the subject has no entry for
        ("CNSS": the CNSS, or a social cover) asks that aspect of another subject named having an
        entry for it ("l'auto-entrepreneur paie-t-il la CNSS ?": its social cover), and otherwise
        names its subject when it is the only one named ("comment s'affilier à la CNSS ?"), unless the
        aspect is named elsewhere. (In a conversation, context.py reads such words: "w lwra9?" after the SARL.)
        Also returns the entry facets so asked: they lead the subject's other entries, whatever a
        generic aspect beside them ("combien l'auto-entrepreneur paie à la CNSS ?": its social cover, not its tax).
        In a conversation (`context`: its subject, for a short message) that subject is the other one
        named ("do i pay cnss too?" after the auto-entrepreneur: its social cover); the word alone
        names its subject only out of a conversation."""
        lead: set[str] = set()
        outside_names = {f.name for f in self.vocabulary.facets_in(self.vocabulary.subjects.strip(text))}
        for phrase in self.vocabulary.find(text):
            subject = f"{phrase.entity}:{phrase.value}"
            named = [self.vocabulary.facets[f.value] for f in self.vocabulary.facet_table.find(phrase.text)
                     if whole_name(f.text, phrase.text)]
            if not named and context is not None and subject in self.named_aspect:
                # in a conversation, the subject's other names are that aspect too ("و الضمان الاجتماعي؟"
                # after the auto-entrepreneur's tax: the CNSS, its social cover)
                named = [self.vocabulary.facets[self.named_aspect[subject]]]
            for facet in named:
                if set(facet.selects) & self.facets_of.get(subject, set()):
                    continue
                if any(s != subject and set(facet.selects) & self.facets_of.get(s, set()) for s in [*subjects, context] if s):
                    subjects = [s for s in subjects if s != subject]
                    lead.update(facet.selects)
                    facets = facets if facet in facets else [*facets, facet]
                elif subjects == [subject] and facet.name not in outside_names and context is None:
                    facets = [f for f in facets if f.name != facet.name]
        return subjects, facets, lead

    def _lead_facets(self, text: str, subjects: Collection[str]) -> set[str]:
        """The entry facets of the aspects named outside the subjects' names and outside the phrases
        of the subjects' entries for other aspects: in "is my SARL AU subject to corporate tax or
        income tax?", "tax" is in the corporate tax's name and in a keyword of which companies pay it
        ("income tax"), so the rates entry does not lead."""
        # (the name of an aspect's general entry not asked, holding the aspect, stays: "lwra9 li khassin"
        # names the general documents entry too, yet "chno lwra9 li khassin l auto entrepreneur" asks its documents)
        names = [p for p in self.vocabulary.find(text)
                 if f"{p.entity}:{p.value}" in subjects or f"{p.entity}:{p.value}" not in self.general_subjects
                 or not self.vocabulary.facet_table.find(p.text)]
        rest = PhraseTable(names).strip(text) if names else " ".join(search_terms(text))
        others = [
            phrase for phrase in self.aspect_phrase_table.find(rest)
            if any((entry := self.by_id[i]).subject in subjects
                   and entry.facet not in {s for f in self.vocabulary.facets_in(phrase.text) for s in f.selects}
                   for i in self.aspect_phrases[tuple(search_terms(phrase.text))])
        ]
        rest = PhraseTable(others).strip(rest) if others else rest
        named = self.vocabulary.facets_in(rest)
        held = {f for s in subjects for f in self.facets_of.get(s, set())}
        # (an aspect a subject named answers with an entry of its own instead of the general one:
        # "شحال كيخلص لوطو أونتروبرونور ديال الضريبة؟", what the auto-entrepreneur pays is its tax)
        instead = {e.facet for f in named for s in subjects if (e := self.by_id.get(f.instead.get(s, ""))) is not None}
        if any(not set(f.selects) & held and not any(f.instead.get(s) for s in subjects) for f in named):
            # "Can I be a SARL partner without living in Morocco?": no SARL entry is about who may
            # be one, so its partners' entry answers only part of the question: the words decide,
            # as before the lead (its overview says partners need not live in Morocco)
            return set()
        return {s for f in named for s in f.selects} | instead

    def _without_general_subjects(self, subjects: list[str], facets: list[Facet], context: str | None) -> list[str]:
        """`subjects` without those of the aspects' general entries when another subject named (or
        the conversation's, `context`) has its own entry for the aspect."""
        generals = {e.subject for f in facets if f.alone and (e := self.by_id.get(f.general or "")) is not None and e.subject}
        selects = {s for f in facets for s in f.selects}
        owners = [s for s in [*subjects, context] if s and s not in generals and selects & self.facets_of.get(s, set())]
        return [s for s in subjects if s not in generals] if owners else subjects
