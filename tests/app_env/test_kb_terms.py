"""The words an entry is searched by: an answer template's placeholders ("{min_inv}", filled with a
figure when the answer is shown) are no words of it (#11: 4948778's "{launch_date}" was searched as
"launch" and "date")."""

from __future__ import annotations

from dataclasses import replace

from assistant.kb.schema import load_directory
from assistant.kb.terms import entry_terms
from tests.app_env.conftest import KNOWLEDGE


def test_placeholders_of_an_answer_are_no_words_of_the_entry() -> None:
    entry = load_directory(KNOWLEDGE)[0]
    bare = replace(entry, title={"en": "Grant"}, synonyms={}, keywords={}, questions={},
                   answer={"en": "A grant of {min_inv} dirhams, launched on {launch_date}."})
    terms = set(entry_terms(bare))
    assert not {"min", "inv", "launch", "date"} & terms and {"grant", "dirham", "launched"} <= terms, sorted(terms)
