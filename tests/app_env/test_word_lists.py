"""Word lists are data (assistant/words/*.yml): no duplicates, no phrases split into words."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cases import form_answers, validation
from assistant.lexicon import WORDS_DIR, load, raw_entries
from assistant.text import normalize, words

FILES = sorted(p.stem for p in WORDS_DIR.glob("*.yml"))
#: `labels`, `region_labels` hold translations (fr/ar/en), not word lists.
LISTS = [
    (name, key) for name in FILES for key, value in load(name).items() if isinstance(value, (list, dict)) and not key.endswith("labels")
]

#: Words that say nothing on their own: in a phrase list (yes/no, cancel), an entry made of
#: one of them is a split phrase ("je" + "refuse", "i" + "agree" as two entries made
#: "i don't know" a yes). The language identifier's lexicons and the question words
#: (conversation.yml) are word lists, where
#: function words are the evidence.
FUNCTION_WORDS = {
    "je", "j", "tu", "il", "on", "ne", "n", "pas", "suis", "sais", "de", "d", "que", "le", "les", "un", "une", "et",
    "i", "you", "do", "not", "dont", "don't", "the", "to", "of", "and", "know", "at", "all",
    "ما", "انا", "في", "من", "ana", "ma", "f", "l",
}


def test_every_file_has_lists() -> None:
    assert {"yes_no", "cancel", "langid", "case_form", "case_fields", "case_profile"} <= set(FILES)
    assert all(LISTS)


@pytest.mark.parametrize(("name", "key"), LISTS)
def test_no_duplicates_in_a_list(name: str, key: str) -> None:
    value = load(name)[key]
    groups = value.values() if isinstance(value, dict) else [value]
    for group in groups:
        seen = [normalize(entry) for entry in group]
        duplicates = sorted({entry for entry in seen if seen.count(entry) > 1})
        assert duplicates == [], f"{name}.yml {key}: {duplicates}"


#: Lists where a function word is the entry itself: the prepositions typed before a country, the
#: article elided or glued before an acronym ("l'is", "lIS"); the French and English words read as each other
#: inside a name and those telling the two languages apart (equivalents.yml: "le" is "the", "the" is English).
FUNCTION_WORD_LISTS = {("case_profile", "country_prepositions"), ("acronyms", "elided_articles"), ("acronyms", "glued_articles"),
                       ("phone_spellings", "spellings"), ("equivalents", "words"), ("equivalents", "markers"),
                       ("arabic_letters", "articles")}


@pytest.mark.parametrize(
    ("name", "key"), [(n, k) for n, k in LISTS if n not in ("langid", "conversation") and (n, k) not in FUNCTION_WORD_LISTS]
)
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


def phrases(name: str, key: str) -> set[tuple[str, ...]]:
    return {tuple(words(entry)) for entry in raw_entries(name, key)}


#: Lists read together (assistant/cases/form_answers.py): an entry belongs to one of them only.
#: ("Correct" is both the English correction button and a yes: at the summary a message that is
#: only a correction word is a correction, so that pair is not listed.)
READ_TOGETHER = [
    (("case_form", "confirm"), ("yes_no", "affirm")),
    (("case_form", "confirm"), ("case_form", "correct")),
    (("case_form", "undecided"), ("yes_no", "unsure")),
    (("case_form", "undecided"), ("yes_no", "affirm")),
    (("case_form", "undecided"), ("yes_no", "deny")),
]


@pytest.mark.parametrize(("one", "other"), READ_TOGETHER)
def test_lists_read_together_do_not_repeat_each_other(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert phrases(*one) & phrases(*other) == set(), (one, other)


def test_the_form_has_no_word_list_of_its_own() -> None:
    assert list(Path(form_answers.__file__).parent.glob("*.yml")) == []


@pytest.mark.parametrize("fields", ["case_fields", "plan_fields"])
def test_field_names_belong_to_one_field(fields: str) -> None:
    slots = list(load(fields))
    for i, slot in enumerate(slots):
        for other in slots[i + 1:]:
            assert phrases(fields, slot) & phrases(fields, other) == set(), (slot, other)


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


def test_every_stage_has_a_label_in_every_language() -> None:
    stages = load("case_profile")["stages"]
    assert set(load("case_profile")["labels"]) == set(stages)
    for stage in stages:
        assert all(validation.stage_label(stage, lang).strip() for lang in ("fr", "ar", "en")), stage
    assert validation.stage_label("creation", "ar") == "إنشاء" and validation.stage_label(None, "fr") == ""
    assert [validation.undecided_region_label(lang) for lang in ("fr", "ar", "en")] == [
        "pas encore décidée", "لم تحدد بعد", "not decided yet"
    ]
