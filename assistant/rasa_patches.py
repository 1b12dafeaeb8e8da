"""One performance fix to Rasa 3.6, applied when Rasa loads `assistant.nlg`.

(`apply` also installs the project's other Rasa patches: action_guard, delivery, turns,
language_slots, typed_buttons, parse_readings, rule_first, event_types, debug_copies, model_loading.)

Rasa checks every action-server response with `jsonschema.validate(result, schema)`.
That call re-validates the schema itself against the newest JSON-Schema meta-schema
each time (the schema names no draft), which profiling showed to be ~40 % of the Rasa
process's CPU under load (two action calls per turn here). The same schema is checked
here once, with a compiled Draft 7 validator: the same responses pass or fail, with the
same error message.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft7Validator, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def action_response_validator() -> Draft7Validator:
    schema = RemoteAction.action_response_format_spec()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


#: The Rasa version this patch was written and measured for.
SUPPORTED_RASA = "3.6.21"


def apply() -> None:
    """Install the patch; refuse to run on a Rasa version it was not written for."""
    import rasa

    if rasa.__version__ != SUPPORTED_RASA:
        raise RuntimeError(
            f"assistant.rasa_patches was written for Rasa {SUPPORTED_RASA}, not {rasa.__version__}: "
            "check RemoteAction._validate_action_result in the new version, then update SUPPORTED_RASA"
        )
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    # honest failures; real delivery states of staff replies; the language slots set in-process
    from assistant import (
        action_guard,
        debug_copies,
        delivery,
        event_types,
        language_slots,
        model_loading,
        parse_readings,
        rule_first,
        turns,
        typed_buttons,
    )
    from assistant.channels.socketio import StampedSocketIOOutput

    action_guard.apply()
    delivery.apply(StampedSocketIOOutput)  # it overrides send_response
    turns.apply()  # retried messages answered once
    language_slots.apply()
    typed_buttons.apply()  # a button's title typed is the button pressed
    parse_readings.apply()  # "ok in english: how do I open a company?": the question read alone
    rule_first.apply()  # TED and memoization not run when a rule decides the next action
    event_types.apply()  # an event's class found by its type name once, not per event
    debug_copies.apply()  # no deep copy of a turn's events for debug lines that are dropped
    model_loading.apply()  # DIET and TED loaded without tracing a training step


def applied() -> bool:
    """Whether Rasa currently runs the patched validation."""
    return RemoteAction.__dict__.get("_validate_action_result") is _validate_action_result
