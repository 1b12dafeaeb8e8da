"""The entries around the conversation's subject: those its answer offers as related, the
overview kept when an aspect it lacks is asked, an entry outweighed by a sibling holding what
is asked (opposites.py), and whether the best entry is another subject's own. A mixin of the
KnowledgeIndex (search.py), which builds the tables these read.
"""

from __future__ import annotations

from assistant.kb.opposites import outweighed
from assistant.kb.query import Hit
from assistant.kb.schema import Entry
from assistant.kb.vocabulary_model import Vocabulary


class SubjectEntries:
    """The subject-level helpers of the KnowledgeIndex (the attributes are set by its constructor)."""

    vocabulary: Vocabulary
    entries: list[Entry]
    by_subject: dict[str, list[Entry]]
    held_terms: dict[str, frozenset[str]]

    def related_to(self, subject: str | None, facet: str | None) -> list[str]:
        """The entries offered beside the answer of the conversation's subject and aspect (its `related`)."""
        answered = [e for e in self.entries if subject and e.subject == subject]
        entry = next((e for e in answered if e.facet == facet), None) or next(
            (e for e in answered if e.facet == "overview"), None)
        return entry.related if entry else []

    def _overview_of(self, subject: str) -> Entry | None:
        """A subject's overview entry (a region's: the region and its CRI)."""
        return next((e for e in self.by_subject.get(subject, []) if e.facet == "overview"), None)

    def place_entry(self, text: str) -> Entry | None:
        """The entry of the region a message names (its first place), offered beside an answer
        about a project there ("bghit nftah café f agadir, chno khassni ndir?": Souss-Massa and its CRI)."""
        region = self.vocabulary.region_of(text)
        return self._overview_of(f"region:{region}") if region else None

    def _kept_overview(self, subject: str | None, confident: bool, options: list[Hit], wanted_facets: set[str]) -> Entry | None:
        """The overview of the conversation's subject asked an aspect it has no entry for, when
        the aspect alone has no confident answer nor a clarifying question about that subject."""
        if subject is None or (confident and not options):
            return None
        if len(options) > 1 and all(h.entry.facet in wanted_facets for h in options) and confident:
            return None  # the aspect's own meanings ("and the tax rate?" after the SA: VAT or corporate tax)
        if any(h.entry.subject == subject for h in options):
            return None
        return next((e for e in self.entries if e.subject == subject and e.facet == "overview"), None)

    def _outweighed(self, terms: list[str], entry: Entry) -> bool:
        """An entry holding only the opposite of what is asked, beside one of its subject holding it (opposites.py)."""
        siblings = [self.held_terms[e.id] for e in self.by_subject.get(entry.subject or "", []) if e is not entry]
        return bool(entry.subject) and outweighed(terms, self.held_terms[entry.id], siblings)

    def _other_subject(self, best: Hit, subject: str | None) -> bool:
        """Whether the best entry is another subject's own (MDM Invest's eligibility for "w chno
        homa chorot?" after the SARL), not an aspect's general entry nor the subject's."""
        generals = {f.general for f in self.vocabulary.facets.values() if f.general}
        return bool(subject and best.entry.subject not in (None, subject) and best.entry.id not in generals)
