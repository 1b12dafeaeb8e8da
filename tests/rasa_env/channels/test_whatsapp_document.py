"""The creation plan as a WhatsApp document: fetch the PDF, upload it as media, send a document
message (local fake Graph API), with the text fallback when a step fails."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.rasa_env.channels.test_whatsapp_output import USER, send
from tests.support.fakes import FakeGraphApi

PDF = b"%PDF-1.4\n% plan\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


class _PlanHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/plan/good.pdf"):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def service() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlanHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def plan_message(url: str) -> dict[str, object]:
    return {"custom": {
        "document": {"url": url, "filename": "plan-ar.pdf", "caption": "خطة إنشاء مشروعكم (استرشادية)"},
        "text": f"خطة إنشاء مشروعكم (استرشادية): {url}",
    }}


def test_plan_pdf_is_uploaded_then_sent_as_a_document(fresh_graph: FakeGraphApi, service: str) -> None:
    (sent,) = send(fresh_graph, plan_message(f"{service}/plan/good.pdf?lang=ar"))
    (upload,) = fresh_graph.uploads()
    assert upload.path == "/v21.0/PHONE_ID/media"
    assert upload.headers["Authorization"] == "Bearer token-123"
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert PDF in upload.body and b'name="messaging_product"' in upload.body and b"application/pdf" in upload.body
    assert sent["type"] == "document"
    assert sent["document"]["id"].startswith("media-")
    assert sent["document"]["filename"] == "plan-ar.pdf"
    assert sent["document"]["caption"] == "خطة إنشاء مشروعكم (استرشادية)"


def test_a_refused_upload_falls_back_to_the_link(fresh_graph: FakeGraphApi, service: str) -> None:
    fresh_graph.fail_next(400)
    url = f"{service}/plan/good.pdf?lang=ar"
    (sent,) = send(fresh_graph, plan_message(url))
    assert sent["type"] == "text" and url in sent["text"]["body"]


def test_an_unavailable_pdf_falls_back_to_the_link(fresh_graph: FakeGraphApi, service: str) -> None:
    url = f"{service}/plan/missing.pdf?lang=fr"
    (sent,) = send(fresh_graph, plan_message(url))
    assert sent["type"] == "text" and url in sent["text"]["body"]
    assert fresh_graph.uploads() == []
    assert USER
