"""WhatsApp's limits: text splitting, button layouts, typed choices (pure functions)."""

from __future__ import annotations

import pytest

from assistant.channels.formatting import (
    MAX_INTERACTIVE_BODY,
    MAX_TEXT,
    Layout,
    Option,
    choose_layout,
    interactive_body,
    list_button_label,
    numbered_menu,
    options_from_buttons,
    parse_choice,
    split_text,
    template_parameter,
    truncate,
)


def options(*titles: str) -> list[Option]:
    return [Option(title, f"/intent_{number}") for number, title in enumerate(titles)]


def test_short_text_is_one_chunk() -> None:
    assert split_text("  *Bonjour* !  ") == ["*Bonjour* !"]
    assert split_text("") == []


def test_long_text_is_split_at_sentence_boundaries() -> None:
    sentence = "La SARL est la forme la plus courante au Maroc. "
    text = sentence * 200  # ~9,600 characters
    chunks = split_text(text)
    assert len(chunks) == 3
    assert all(len(chunk) <= MAX_TEXT for chunk in chunks)
    assert all(chunk.endswith("Maroc.") for chunk in chunks)
    assert " ".join(chunks) == text.strip()


def test_split_prefers_the_last_sentence_end_and_knows_arabic_question_marks() -> None:
    text = "ما هو رأس المال؟ " + "ا" * 30 + "؟ " + "ب" * 30
    assert split_text(text, 60) == ["ما هو رأس المال؟ " + "ا" * 30 + "؟", "ب" * 30]


def test_split_keeps_closing_quotes_and_falls_back_to_spaces_then_hard_cuts() -> None:
    assert split_text('Il a dit « oui. » Puis il est parti.', 20) == ["Il a dit « oui. »", "Puis il est parti."]
    assert split_text("aaaa bbbb cccc dddd", 10) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_split_keeps_paragraphs_and_bold_markers() -> None:
    text = "*Titre*\n\n" + "Une phrase. " * 5
    chunks = split_text(text, 40)
    assert chunks == ["*Titre*\n\nUne phrase. Une phrase.", "Une phrase. Une phrase. Une phrase."]


@pytest.mark.parametrize(
    ("titles", "layout"),
    [
        (("Oui", "Non"), Layout.BUTTONS),
        (("Formes juridiques", "Démarches", "Financements"), Layout.BUTTONS),
        (("Formes juridiques", "Démarches de création", "Financements"), Layout.LIST),  # 21 chars
        (tuple(f"Option {n}" for n in range(4)), Layout.LIST),
        (tuple(f"Option {n}" for n in range(10)), Layout.LIST),
        (tuple(f"Option {n}" for n in range(11)), Layout.NUMBERED),
    ],
)
def test_layout_follows_whatsapp_limits(titles: tuple[str, ...], layout: Layout) -> None:
    assert choose_layout(options(*titles)) is layout


def test_payloads_too_long_or_repeated_for_ids_force_a_numbered_menu() -> None:
    long_payload = "/" + "x" * 209  # fits a reply button id (256), not a list row id (200)
    assert choose_layout([Option("A", long_payload)]) is Layout.BUTTONS
    assert choose_layout([Option("A", long_payload), Option("B", "/b"), Option("C", "/c"), Option("D", "/d")]) is (
        Layout.NUMBERED
    )
    assert choose_layout([Option("A", "/same"), Option("B", "/same")]) is Layout.NUMBERED


def test_options_from_rasa_buttons() -> None:
    buttons = [{"title": " Legal   forms ", "payload": "/ask_legal_form"}, {"title": "Help"}, {"payload": "/x"}]
    assert options_from_buttons(buttons) == [
        Option("Legal forms", "/ask_legal_form"), Option("Help", "Help"), Option("/x", "/x")
    ]


def test_truncate_marks_the_cut() -> None:
    assert truncate("Setting up step by step", 24) == "Setting up step by step"
    assert truncate("Parler à un conseiller maintenant", 24) == "Parler à un conseiller…"
    assert len(truncate("x" * 100, 24)) == 24


def test_numbered_menu_and_typed_choices() -> None:
    menu = numbered_menu("Choisissez :", options("Oui", "Non"))
    assert menu == "Choisissez :\n\n1. Oui\n2. Non"
    assert parse_choice("2", 2) == 1
    assert parse_choice(" 1. ", 2) == 0
    assert parse_choice("٢", 2) == 1  # Arabic-Indic digit
    assert parse_choice("۱)", 2) == 0  # Persian digit
    assert parse_choice("3", 2) is None
    assert parse_choice("0", 2) is None
    assert parse_choice("2 associés", 2) is None


def test_interactive_body_keeps_the_end_of_a_long_text() -> None:
    text = "Première phrase assez longue. " * 60 + "Quelle est votre question ?"
    lead, body = interactive_body(text)
    assert len(body) <= MAX_INTERACTIVE_BODY and body.endswith("Quelle est votre question ?")
    assert " ".join([*lead, body]) == text.strip()
    assert interactive_body("Court.") == ([], "Court.")
    assert interactive_body("")[1]  # a body is never empty


def test_list_label_and_template_parameters() -> None:
    assert list_button_label("ما هو سؤالكم؟") == "الخيارات"
    assert list_button_label("What is your question?") == "Options"
    assert template_parameter("Ligne 1\n\nLigne 2\t   fin") == "Ligne 1 Ligne 2 fin"
    assert len(template_parameter("x" * 5000)) == 1000
