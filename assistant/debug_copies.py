"""Rasa's processor deep-copies its debug log lines' values even when nothing is logged
at debug (Rasa process, applied by rasa_patches).

Rasa 3.6's `MessageProcessor` writes `structlogger.debug(..., rasa_events=copy.deepcopy(events))`
after every action (and likewise the parse, the slots, the prediction's events): the copy is
made before the call, so every turn deep-copied its bot messages with their buttons and data
only for a log line that the log level then drops (about 1 % of the Rasa process's busy
samples at one user, `make bench-profile`; #15). In `rasa.core.processor` the `copy` module
serves only these debug arguments (`tests/rasa_env/test_turn_costs.py` checks it), so there
it is replaced by one that copies unless structlog is configured to drop debug lines at once
(Rasa's `configure_structlog` with a level above debug: its filtering logger's `debug` does
nothing, no processor sees the values).
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import rasa.core.processor
import structlog

#: structlog's loggers whose `debug` returns at once (one class per level, cached by structlog).
_QUIET = tuple(structlog.make_filtering_bound_logger(level)
               for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL))


def debug_dropped() -> bool:
    """Whether structlog drops debug lines before any processor sees their values."""
    return structlog.get_config()["wrapper_class"] in _QUIET


class DebugCopies:
    """`copy` as `rasa.core.processor` sees it: the value itself when debug lines are dropped,
    else a deep copy as before."""

    copy = staticmethod(copy.copy)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if debug_dropped():
            return value
        return copy.deepcopy(value, memo)


def apply() -> None:
    rasa.core.processor.copy = DebugCopies  # type: ignore[assignment]


def applied() -> bool:
    return rasa.core.processor.copy is DebugCopies  # type: ignore[comparison-overlap]
