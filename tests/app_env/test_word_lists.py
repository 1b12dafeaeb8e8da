"""Word lists are data (assistant/words/*.yml): no duplicates, no phrases split into words."""

from __future__ import annotations

import pytest

from assistant.cases import validation
from assistant.lexicon import WORDS_DIR, load, raw_entries
from assistant.text import normalize, words

FILES = sorted(p.stem for p in WORDS_DIR.glob("*.yml"))
LISTS = [(name, key) for name in FILES for key, value in load(name).items() if isinstance(value, (list, dict))]

#: Words that say nothing on their own: in a phrase list (yes/no, cancel), an entry made of
#: one of them is a split phrase ("je" + "refuse", "i" + "agree" as two entries made
#: "i don't know" a yes). The language identifier's lexicons are word lists, where
#: function words are the evidence.
FUNCTION_WORDS = {
    "je", "j", "tu", "il", "on", "ne", "n", "pas", "suis", "sais", "de", "d", "que", "le", "les", "un", "une", "et",
    "i", "you", "do", "not", "dont", "don't", "the", "to", "of", "and", "know", "at", "all",
    "ما", "انا", "في", "من", "ana", "ma", "f", "l",
}


def test_every_file_has_lists() -> None:
    assert {"yes_no", "cancel", "langid"} <= set(FILES)
    assert all(LISTS)


@pytest.mark.parametrize(("name", "key"), LISTS)
def test_no_duplicates_in_a_list(name: str, key: str) -> None:
    value = load(name)[key]
    groups = value.values() if isinstance(value, dict) else [value]
    for group in groups:
        seen = [normalize(entry) for entry in group]
        duplicates = sorted({entry for entry in seen if seen.count(entry) > 1})
        assert duplicates == [], f"{name}.yml {key}: {duplicates}"


@pytest.mark.parametrize(("name", "key"), [(n, k) for n, k in LISTS if n != "langid"])
def test_no_split_phrases(name: str, key: str) -> None:
    split = [entry for entry in raw_entries(name, key) if normalize(entry) in FUNCTION_WORDS]
    assert split == [], f"{name}.yml {key}: {split} say nothing alone; write the whole phrase"


def test_lexicons_of_the_language_identifier_are_single_words() -> None:
    for key in ("arabizi", "darija", "french", "english", "request_cues"):
        assert [w for w in raw_entries("langid", key) if " " in w.strip()] == [], key


def test_yes_and_no_lists_do_not_overlap() -> None:
    lists = {key: {tuple(words(e)) for e in raw_entries("yes_no", key)} for key in load("yes_no")}
    assert not lists["affirm"] & lists["deny"]
    assert not lists["unsure"] & (lists["affirm"] | lists["deny"])


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Oui, je suis d'accord", True),
        ("oui bien sûr", True),
        ("je confirme", True),
        ("I agree", True),
        ("واخا", True),
        ("ah wakha", True),
        ("non merci pas maintenant", False),
        ("pas d'accord", False),
        ("je ne suis pas d'accord", False),
        ("ma bghitch", False),
        ("لا أوافق", False),
        ("la merci", False),
        ("i don't agree", False),
        ("i dont know", None),
        ("je ne sais pas", None),
        ("jsp", None),
        ("لا أعرف", None),
        ("ma3reftch", None),
        ("je", None),
        ("", None),
    ],
)
def test_yes_no_reads_whole_phrases(text: str, answer: bool | None) -> None:
    assert validation.parse_yes_no(text) is answer
