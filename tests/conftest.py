"""Shared test configuration: which outside services are available.

PostgreSQL and Redis tests run when TEST_DATABASE_URL / REDIS_URL are set (`.ci/run`
sets them). `REQUIRE_SERVICES=1` turns a missing or unreachable service into a
failure instead of a skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_unavailable(name: str, reason: str) -> NoReturn:
    """Skip (developer machine) or fail (CI) when an outside service is missing."""
    message = f"{name} not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (REQUIRE_SERVICES=1)")
    pytest.skip(message)
