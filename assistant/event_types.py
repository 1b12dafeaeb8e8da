"""Rasa's event classes looked up by type name once each (Rasa process, applied by rasa_patches).

Rasa 3.6 turns every stored event back into an object (`Event.from_parameters`, for each
event of each conversation read, of each action-server response) through
`Event.resolve_by_type`, which walks the whole tree of `Event` subclasses and checks each for
abstract methods (`all_subclasses`) every time: about 2 % of the Rasa process's working
samples under load (#15, py-spy). Here a type name's class is looked up the stock way the
first time and remembered: the same class, since the classes named by type are Rasa's,
imported before any conversation is read. A name not found (old `topic` events, a default,
an unknown name) goes the stock way each time, with the same result or error.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event

_stock_resolve = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """`Event.resolve_by_type`, remembering the classes it found."""
    found = _found.get(type_name)
    if found is not None:
        return found
    resolved = _stock_resolve(type_name, default)
    if resolved is not None and resolved.type_name == type_name:
        _found[type_name] = resolved
    return resolved


def apply() -> None:
    """Install the lookup (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


def applied() -> bool:
    raw: Any = Event.__dict__.get("resolve_by_type")
    return isinstance(raw, staticmethod) and raw.__func__ is resolve_by_type
