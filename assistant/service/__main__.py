"""Run the guidance service: `python -m assistant.service` (SERVICE_HOST, SERVICE_PORT)."""

from __future__ import annotations

import logging

from aiohttp import web

from assistant.service.app import create_app
from assistant.settings import get_settings


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(create_app(settings), host=settings.service_host, port=settings.service_port, access_log=None)


if __name__ == "__main__":
    main()
