"""The service application's shared state keys (a leaf module: the page modules and
`app.py` import it, never each other)."""

from __future__ import annotations

from aiohttp import web

from assistant.service.cases import CaseService
from assistant.settings import Settings

#: The service's settings, set by `app.create_app`.
SETTINGS_KEY = web.AppKey("settings", Settings)
#: The staff-operations layer, shared by the JSON API and the console.
CASE_SERVICE = web.AppKey("case_service", CaseService)
