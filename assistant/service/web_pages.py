"""The public website: a demo page hosting the chat widget, and the static files.

The demo page embeds the widget exactly as any other website would, with one script tag:

    <script src="https://SERVICE/static/dist/widget.js" defer
            data-socket-url="https://RASA" data-language="fr"></script>

`data-socket-url` is the base URL at which browsers reach Rasa's socketio channel. The page
renders it from RASA_PUBLIC_URL (`settings.rasa_public_url`) when that is set; otherwise the
attribute is left out and the widget uses the page's own protocol and host name on port 5005
(Rasa's default port). The widget's other attributes are documented in widget/README.md.

Everything under `assistant/service/static/` is served at `/static/`. The widget bundle
(`static/dist/`) is build output: `make setup` runs `cd widget && npm ci && npm run build`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
from aiohttp import web
from yarl import URL

from assistant.service.keys import SETTINGS_KEY
from assistant.settings import Settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates" / "site"
WIDGET_SCRIPT = "dist/widget.js"
WIDGET_STYLESHEET = "dist/widget.css"
RASA_DEFAULT_PORT = 5005

#: Static URLs carrying a content hash (`?v=`) never change; the others are revalidated often,
#: since websites embed the widget at its plain URL and must pick up new releases.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"

# Our own environment (not aiohttp_jinja2's per-application one, which the staff console uses).
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _origin(url: URL) -> str:
    return str(url.origin())


def rasa_origins(settings: Settings, request: web.Request) -> list[str]:
    """Where the widget connects: Rasa's http(s) origin and its ws(s) twin (for the CSP)."""
    if settings.rasa_public_url:
        url = URL(settings.rasa_public_url)
        secure = url.scheme in {"https", "wss"}
        http, ws = ("https", "wss") if secure else ("http", "ws")
        return [_origin(url.with_scheme(http)), _origin(url.with_scheme(ws))]
    host = request.url.host or "localhost"
    return [
        f"{scheme}://{URL.build(scheme=scheme, host=host, port=RASA_DEFAULT_PORT).authority}"
        for scheme in ("http", "https", "ws", "wss")
    ]


def content_security_policy(connect: list[str]) -> str:
    """A strict policy the widget works under: no inline script or style, no eval."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' https: data:",
            f"connect-src 'self' {' '.join(connect)}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def static_url(request: web.Request, filename: str) -> str:
    """The URL of a static file, with a content hash when the file exists (cache-busting)."""
    resource = request.app.router["static"]
    assert isinstance(resource, web.StaticResource)
    return str(resource.url_for(filename=filename, append_version=True))


async def index(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS_KEY]
    if not (STATIC_DIR / WIDGET_SCRIPT).is_file():
        logger.warning("chat widget bundle missing: run `make setup` (cd widget && npm ci && npm run build)")
    page = _templates.get_template("index.html").render(
        widget_script=static_url(request, WIDGET_SCRIPT),
        widget_stylesheet=static_url(request, WIDGET_STYLESHEET),
        site_stylesheet=static_url(request, "site/site.css"),
        socket_url=settings.rasa_public_url,
    )
    response = web.Response(text=page, content_type="text/html")
    response.headers["Content-Security-Policy"] = content_security_policy(rasa_origins(settings, request))
    response.headers["Cache-Control"] = "no-cache"
    return response


async def _static_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Cache headers for static files (they already get ETag and Last-Modified)."""
    if not request.path.startswith("/static/") or response.status not in {200, 304}:
        return
    response.headers["Cache-Control"] = IMMUTABLE_CACHE if "v" in request.query else SHORT_CACHE
    if request.path.startswith("/static/dist/"):
        # Other websites embed the widget; lets them use Subresource Integrity (crossorigin).
        response.headers["Access-Control-Allow-Origin"] = "*"


def setup(app: web.Application) -> None:
    """The demo page at `/` and the static files at `/static/` (with cache headers)."""
    app.router.add_get("/", index, name="demo_site")
    app.router.add_static("/static/", STATIC_DIR, name="static", follow_symlinks=False)
    app.on_response_prepare.append(_static_headers)
