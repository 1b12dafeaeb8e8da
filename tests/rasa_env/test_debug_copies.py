"""The processor's debug-only deep copies are skipped when debug lines are dropped (#15)."""

from __future__ import annotations

import ast
import inspect
import logging
from collections.abc import Iterator

import pytest
import rasa.core.processor
import structlog

from assistant import debug_copies


def _calls_of_copy(tree: ast.AST) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
    """Each call `copy.<anything>(...)` with its ancestors."""
    def walk(node: ast.AST, ancestors: list[ast.AST]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "copy"):
            yield node, ancestors
        for child in ast.iter_child_nodes(node):
            yield from walk(child, [*ancestors, node])
    return walk(tree, [])


def _is_debug_log(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "debug"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "structlogger")


def test_the_processor_copies_only_for_its_debug_lines() -> None:
    """The patch is sound only while every use of `copy` in the processor is a debug argument."""
    tree = ast.parse(inspect.getsource(rasa.core.processor))
    calls = list(_calls_of_copy(tree))
    assert calls, "Rasa's processor no longer deep-copies for its debug lines: drop assistant.debug_copies"
    for call, ancestors in calls:
        assert any(_is_debug_log(a) for a in ancestors), f"copy used outside a debug line at line {call.lineno}"


@pytest.fixture()
def structlog_level() -> Iterator[None]:
    before = structlog.get_config()
    yield
    structlog.configure(**before)


@pytest.mark.usefixtures("structlog_level")
def test_values_are_copied_only_when_debug_lines_can_be_written() -> None:
    debug_copies.apply()
    assert debug_copies.applied()
    events = [{"event": "bot", "data": {"buttons": [{"title": "Oui", "payload": "/affirm"}]}}]
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    assert rasa.core.processor.copy.deepcopy(events) is events
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    copied = rasa.core.processor.copy.deepcopy(events)
    assert copied == events and copied is not events and copied[0]["data"] is not events[0]["data"]
