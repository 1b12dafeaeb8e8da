"""The public pages: a demo website hosting the chat widget."""

from __future__ import annotations

from aiohttp import web

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Investir au Maroc · الاستثمار بالمغرب · Invest in Morocco</title></head>
<body><main><h1>Investir au Maroc · <span lang="ar" dir="rtl">الاستثمار بالمغرب</span> · Invest in Morocco</h1>
<p>Guidance service for Moroccans abroad who create a business in Morocco.</p></main></body></html>"""


async def index(request: web.Request) -> web.Response:
    return web.Response(text=PAGE, content_type="text/html")


def setup(app: web.Application) -> None:
    app.router.add_get("/", index)
