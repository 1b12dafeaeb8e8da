"""The action server: rasa-sdk's app on loopback, every call authenticated.

`python -m assistant.actions.server` replaces `python -m rasa_sdk`, which listens on all
interfaces, accepts any caller and logs (and answers) the whole request body, the
conversation included, when an action raises. Here:
- it binds to ACTION_SERVER_HOST (127.0.0.1 unless set to expose it behind a proxy),
  port ACTION_SERVER_PORT (or `--port`);
- every request but `/health` and `/ready` (503 until the knowledge index is built) must carry `Authorization: Bearer <ACTION_SERVER_TOKEN>`
  (Rasa sends it, see endpoints.yml); without the secret configured it does not start;
- no CORS (only Rasa calls it), bodies over 1 MiB refused, errors logged by type only;
- the knowledge index is built at start, not at the first question.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from rasa_sdk.endpoint import create_app as sdk_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from assistant.actions.knowledge import knowledge
from assistant.cases.spool import case_spool
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "assistant.actions"
MAX_BODY_BYTES = 1024 * 1024
OPEN_PATHS = frozenset({"/health", "/ready"})


def authorized(header: str | None, token: str) -> bool:
    expected = f"Bearer {token}".encode()
    return bool(token) and hmac.compare_digest((header or "").encode(), expected)


def create_app() -> Sanic:
    """The rasa-sdk application with the secret check."""
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    app = sdk_app(executor, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    token = get_settings().action_server_token

    @app.on_request
    async def check_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not authorized(request.headers.get("authorization"), token):
            logger.warning("refused an action-server call without the shared secret")
            return json({"error": "unauthorized"}, status=401)
        return None

    @app.after_server_start
    async def retry_spooled_cases(*_: object) -> None:
        case_spool().ensure_retrying()  # cases kept while the database was down

    @app.after_server_start
    async def warm_knowledge(*_: object) -> None:
        # builds the knowledge index while Rasa loads its model, so the first question does not
        # wait for it (seconds, minutes on a busy machine: beyond Rasa's action timeout)
        app.add_task(knowledge.index())

    @app.get("/ready")
    async def ready(_: Request) -> HTTPResponse:
        """503 until the knowledge index is built: a balancer or a test sends questions after it."""
        return json({"status": "ok" if knowledge.ready else "warming"}, status=200 if knowledge.ready else 503)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action server request failed (%s)", type(exception).__name__)
        return json({"error": "internal error"}, status=500)

    # replaces rasa-sdk's handler, which logs and answers the request body (the conversation)
    app.error_handler.cached_handlers[(Exception, None)] = failed  # type: ignore[assignment]

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="The action server (loopback, shared secret).")
    parser.add_argument("--port", type=int, help="overrides ACTION_SERVER_PORT")
    arguments = parser.parse_args()
    settings = get_settings()
    port = arguments.port or settings.action_server_port
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings.action_server_token:
        sys.exit("ACTION_SERVER_TOKEN is not set: the action server needs its shared secret (make run writes one in .env)")
    app = create_app()
    # one process (no worker subprocess importing everything a second time): scale with replicas
    app.prepare(host=settings.action_server_host, port=port, single_process=True, access_log=False)
    logger.info("action server on %s:%d", settings.action_server_host, port)
    Sanic.serve_single(app)


if __name__ == "__main__":
    main()
