"""Import boundaries between the two environments (static graph + real imports here).

The Rasa process (`.venv-rasa`: Rasa 3.6, SQLAlchemy 1.4) must load nothing that needs
SQLAlchemy 2 or the app's packages; the action server and the guidance service
(`.venv-app`) must load no Rasa module. tests/rasa_env/test_import_boundaries.py imports
the Rasa side in its own environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.support import boundaries as b

IMPORT_ALL = """
import importlib, json, sys
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"failed": failed, "loaded": loaded, "assistant": sorted(m for m in sys.modules if m.startswith("assistant"))}))
"""


def import_all(python: str, names: list[str]) -> dict[str, Any]:
    out = subprocess.run([python, "-c", IMPORT_ALL, *names], cwd=b.ROOT, capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_the_roots_are_the_configured_processes() -> None:
    rasa, app = b.rasa_roots(), b.app_roots()
    assert {"assistant.nlu.entity_extractor", "assistant.nlg", "assistant.stores.tracker",
            "assistant.channels.whatsapp", "assistant.insights.broker", "assistant.rasa_start"} <= set(rasa)
    assert {"assistant.actions.server", "assistant.service.__main__", "assistant.kb.__main__",
            "assistant.actions.case_form"} <= set(app)
    assert all(name in b.modules() for name in rasa + app)


def test_the_rasa_process_reaches_nothing_that_needs_sqlalchemy_2_or_app_packages() -> None:
    roots = b.rasa_roots()
    reached = b.closure(roots)
    wrong = {name: b.path_to(roots, name) for name in reached if b.needs_sqlalchemy_2(name)}
    assert wrong == {}, "the Rasa process would import SQLAlchemy 2 code through " + str(wrong)
    packages = {name: sorted(b.imports_of(name)[1] & b.APP_ONLY_PACKAGES) for name in reached}
    assert {k: v for k, v in packages.items() if v} == {}
    # the guard works: the app's ORM models are found to need SQLAlchemy 2
    assert b.needs_sqlalchemy_2("assistant.db.models") and b.needs_sqlalchemy_2("assistant.db.engine")


def test_the_app_processes_reach_no_rasa_module() -> None:
    roots = b.app_roots()
    reached = b.closure(roots)
    packages = {name: sorted(b.imports_of(name)[1] & b.RASA_ONLY_PACKAGES) for name in reached}
    wrong = {name: (found, b.path_to(roots, name)) for name, found in packages.items() if found}
    assert wrong == {}, "the app environment would import Rasa through " + str(wrong)
    # the guard works: a Rasa component is found to import Rasa
    assert "rasa" in b.imports_of("assistant.nlu.entity_extractor")[1]


def test_the_app_modules_import_in_the_app_environment_without_rasa() -> None:
    reached = sorted(n for n in b.closure(b.app_roots()) if not n.endswith("__main__"))  # those run a CLI
    result = import_all(sys.executable, reached)
    assert result["failed"] == {}
    assert not set(result["loaded"]) & b.RASA_ONLY_PACKAGES


def test_the_action_modules_import_each_other_at_the_top_without_cycles() -> None:
    actions = b.graph("assistant.actions")
    assert {"assistant.actions.pending_answers", "assistant.actions.knowledge", "assistant.actions.yes_no"} <= set(actions)
    assert b.cycles(actions) == []
    lazy = {name: found for name in actions if (found := b.imports_inside_functions(name, "assistant.actions"))}
    assert lazy == {}, "import these at the top of the module (a lazy import hides a cycle): " + str(lazy)
    # the guards work: a cycle of a made-up graph is found, and a lazy import elsewhere in the package
    assert b.cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}) == [["a", "b", "c"]]
    assert b.imports_inside_functions("assistant.rasa_patches", "assistant.channels")


def test_the_package_has_no_import_cycle_not_even_through_a_lazy_import() -> None:
    """No two modules of `assistant` import each other, directly or through others, counting
    the imports inside functions too (a lazy import only hides a cycle; some stay lazy for
    other reasons, e.g. to keep SQLAlchemy 2 models out of the Rasa process)."""
    modules = b.graph("assistant")
    assert {"assistant.delivery", "assistant.channels.socketio", "assistant.rasa_patches"} <= set(modules)
    assert b.cycles(modules) == []
    # the guard works: an import inside a function (rasa_patches.apply's) is an edge of the graph
    assert "assistant.channels.socketio" in b.imports_inside_functions("assistant.rasa_patches", "assistant")
    assert "assistant.channels.socketio" in modules["assistant.rasa_patches"]


#: What only the staff-operations layer (service/cases.py) may use: the stores of cases,
#: replies, set-aside requests and plans, and the activity queries.
STAFF_LAYER_ONLY = {
    "assistant.cases.store", "assistant.cases.replies", "assistant.cases.rejections", "assistant.cases.spool",
    "assistant.plan.store", "assistant.db.engine",
}


def test_the_staff_front_ends_go_through_the_one_staff_layer() -> None:
    front_ends = ["assistant.service.api", "assistant.service.console", "assistant.service.spool_pages"]
    used = {name: sorted(b.imports_of(name)[0] & STAFF_LAYER_ONLY) for name in front_ends}
    assert used == {name: [] for name in front_ends}
    assert "activity_for" not in "".join(b.modules()[name].read_text(encoding="utf-8") for name in front_ends)
    # the guard works: the layer itself uses them
    assert {"assistant.cases.store", "assistant.cases.rejections"} <= b.imports_of("assistant.service.cases")[0]
