"""The import graph of `assistant`, and what each process loads.

The Rasa process runs in `.venv-rasa` (Rasa 3.6, SQLAlchemy 1.4, spaCy), the action server
and the guidance service in `.venv-app` (SQLAlchemy 2, rasa-sdk): a module one side loads
must import in that side's environment. The roots are read from where the processes are
configured: config.yml, endpoints.yml and credentials.yml name the classes Rasa loads; the
Procfile names the launchers; rasa-sdk loads every module of `assistant.actions`.

The graph is read from the source (every `import`, also inside functions), so a lazy
import that only runs on some path counts too.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assistant"

#: Rasa's packages and the ones only its environment has (they must not reach the app side).
RASA_ONLY_PACKAGES = frozenset({"rasa", "spacy", "tensorflow", "sanic_cors"})
#: The app environment's packages the Rasa environment lacks or has at another major version.
APP_ONLY_PACKAGES = frozenset({"asyncpg", "aiosqlite", "alembic", "aiohttp_jinja2", "argon2", "fpdf", "uharfbuzz"})
#: Names only SQLAlchemy 2 has (Rasa's environment has 1.4): a module using them needs the app side.
SQLALCHEMY_2_ONLY = frozenset({"DeclarativeBase", "Mapped", "mapped_column", "async_sessionmaker"})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
    }


@cache
def needs_sqlalchemy_2(name: str) -> bool:
    """Whether a module itself uses what only SQLAlchemy 2 has (its ORM's typed mapping, async sessions)."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        and any(alias.name in SQLALCHEMY_2_ONLY for alias in node.names)
        for node in ast.walk(tree)
    )


@cache
def imports_of(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(assistant modules, other top-level packages) that a module imports."""
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    own: set[str] = set()
    external: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target.split(".")[0] == "assistant":
                while target and target not in modules():
                    target = target.rpartition(".")[0]
                if target:
                    own.add(target)
            elif target:
                external.add(target.split(".")[0])
    # a module imports its packages' __init__ too
    parts = name.split(".")
    own |= {".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in modules()}
    own.discard(name)
    return frozenset(own), frozenset(external)


def closure(roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += imports_of(name)[0]
    return seen


def path_to(roots: list[str], target: str) -> list[str]:
    """One import chain from a root to `target` (for error messages)."""
    parents: dict[str, str | None] = {root: None for root in roots}
    todo = list(roots)
    while todo:
        name = todo.pop(0)
        if name == target:
            chain = [name]
            while (parent := parents[chain[-1]]) is not None:
                chain.append(parent)
            return chain[::-1]
        for child in sorted(imports_of(name)[0]):
            if child not in parents:
                parents[child] = name
                todo.append(child)
    return []


def rasa_roots() -> list[str]:
    """Modules the Rasa process loads: classes of config/endpoints/credentials, the launchers."""
    text = "\n".join((ROOT / name).read_text(encoding="utf-8") for name in ("config.yml", "endpoints.yml", "credentials.yml"))
    classes = set(re.findall(r"\b(assistant(?:\.\w+)+)\.[A-Z]\w*", text))
    return sorted(classes | {"assistant.rasa_server", "assistant.rasa_start"})


def app_roots() -> list[str]:
    """Modules the app processes load: the Procfile's launchers, the CLIs, every action module."""
    procfile = (ROOT / "Procfile").read_text(encoding="utf-8")
    launched = {m for m in re.findall(r"-m (assistant[\w.]*)", procfile) if not m.startswith("assistant.rasa")}
    launched = {f"{m}.__main__" if f"{m}.__main__" in modules() else m for m in launched}
    clis = {f"{p}.__main__" for p in ("assistant.db", "assistant.kb", "assistant.service")}
    actions = {name for name in modules() if name.startswith("assistant.actions.")}
    return sorted(launched | clis | actions)


def graph(prefix: str) -> dict[str, frozenset[str]]:
    """The imports among the modules under `prefix` (a package's `__init__` left out: it only names it)."""
    names = {name for name in modules() if name.startswith(prefix + ".")}
    return {name: imports_of(name)[0] & names for name in sorted(names)}


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The import cycles of a graph: its strongly connected groups of more than one module
    (or a module importing itself), each sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for child in sorted(edges.get(name, frozenset())):
            if child not in index:
                visit(child)
                low[name] = min(low[name], low[child])
            elif child in on_stack:
                low[name] = min(low[name], index[child])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1 or name in edges.get(name, frozenset()):
                found.append(sorted(group))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return sorted(found)


def imports_inside_functions(name: str, prefix: str) -> list[str]:
    """Modules under `prefix` that `name` imports inside a function (a lazy import hides a cycle)."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    lazy = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lazy += [node.module or "" for node in ast.walk(function) if isinstance(node, ast.ImportFrom)]
            lazy += [alias.name for node in ast.walk(function) if isinstance(node, ast.Import) for alias in node.names]
    return sorted({module for module in lazy if module.startswith(prefix + ".")})
