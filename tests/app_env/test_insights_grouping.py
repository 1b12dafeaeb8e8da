"""Grouping of unanswered questions across languages (no model, no database)."""

from __future__ import annotations

from assistant.insights.grouping import Question, group_questions
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex
from assistant.kb.vocabulary import load_vocabulary
from assistant.settings import ROOT


def test_grouping_across_languages_by_concepts() -> None:
    knowledge = ROOT / "knowledge"
    index = KnowledgeIndex(load_directory(knowledge), load_vocabulary(knowledge))
    questions = ["compte bancaire pour ma SARL ?", "Can I open a halal bank account for my SARL?",
                 "aides pour l'agriculture bio", "subventions agriculture biologique"]
    groups = group_questions([Question(i, q) for i, q in enumerate(questions)], index)
    assert sorted(sorted(q.id for q in g.questions) for g in groups) == [[0, 1], [2, 3]]
    assert all(g.closest for g in groups)


def test_grouping_by_spelling_variants_and_empty_input() -> None:
    questions = ["Faut-il un visa pour investir au Maroc en tant que binational ?", "visa investisseur binational Maroc ?",
                 "wach khassni visa ila kont binational", "🙂", ""]
    groups = group_questions([Question(i, q) for i, q in enumerate(questions)], None)
    assert sorted(q.id for q in groups[0].questions) == [0, 1, 2]
    assert group_questions([], None) == []
