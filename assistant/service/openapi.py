"""OpenAPI 3.1 description of the JSON API (served at /api/openapi.json).

A test checks that every route in `assistant.service.api.ROUTES` is documented here
and that every documented operation exists.
"""

from __future__ import annotations

from typing import Any

from assistant.contract import CASE_STATUSES, REPLY_STATES

REF = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "example": "MRE-2026-000123"}}
REPLY_STATE = {"type": "object", "properties": {
    "id": {"type": "integer"}, "status": {"type": "string", "enum": list(REPLY_STATES)}, "delivered": {"type": "boolean"},
    "delivery_note": {"type": ["string", "null"]}, "delivery": {"type": "string"}}}
ERRORS = {
    "401": {"$ref": "#/components/responses/Unauthenticated"},
    "404": {"$ref": "#/components/responses/NotFound"},
}
WRITE_ERRORS = {
    **ERRORS,
    "400": {"$ref": "#/components/responses/BadRequest"},
    "403": {"$ref": "#/components/responses/Csrf"},
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
            }
        },
    }


CASE_SUMMARY = {"$ref": "#/components/schemas/CaseSummary"}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Guidance service API",
            "version": "1.0.0",
            "description": (
                "Support cases opened by Moroccans abroad through the assistant, for the Department's "
                "information and guidance unit. Authentication: the staff console's session cookie "
                "(log in at /staff/login); state-changing requests also send the session's CSRF token in "
                "the X-CSRF-Token header (shown in the console's page metadata)."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"staffSession": []}],
        "paths": {
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": _json({"type": "object"})},
                }
            },
            "/api/me": {
                "get": {"summary": "The logged-in staff member", "responses": {"200": _json({"$ref": "#/components/schemas/Staff"}), **ERRORS}}
            },
            "/api/staff": {
                "get": {
                    "summary": "Active staff members (for assignment)",
                    "responses": {"200": _json({"type": "object", "properties": {"staff": {"type": "array", "items": {"$ref": "#/components/schemas/Staff"}}}}), **ERRORS},
                }
            },
            "/api/cases": {
                "get": {
                    "summary": "The queue, newest first, with filters",
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                        {"name": "language", "in": "query", "schema": {"type": "string", "enum": ["fr", "ar", "en"]}},
                        {"name": "region", "in": "query", "schema": {"type": "string", "example": "oriental"}},
                        {"name": "topic", "in": "query", "schema": {"type": "string", "example": "financing"}},
                        {"name": "channel", "in": "query", "schema": {"type": "string", "example": "whatsapp"}},
                        {"name": "assignee", "in": "query", "schema": {"type": "integer"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                    ],
                    "responses": {
                        "200": _json({"type": "object", "properties": {"total": {"type": "integer"}, "cases": {"type": "array", "items": CASE_SUMMARY}}}),
                        "400": {"$ref": "#/components/responses/BadRequest"},
                        "401": {"$ref": "#/components/responses/Unauthenticated"},
                    },
                }
            },
            "/api/cases/{reference}": {
                "get": {"summary": "A case with profile, transcript snapshot, notes, audit log, staff replies", "parameters": [REF], "responses": {"200": _json({"$ref": "#/components/schemas/CaseDetail"}), **ERRORS}}
            },
            "/api/cases/{reference}/conversation": {
                "get": {
                    "summary": "The live conversation (from the assistant's tracker; the snapshot if it is unreachable)",
                    "parameters": [REF],
                    "responses": {"200": _json({"$ref": "#/components/schemas/Conversation"}), **ERRORS},
                }
            },
            "/api/cases/{reference}/claim": {
                "post": {"summary": "Assign the case to me", "parameters": [REF], "responses": {"200": _json(CASE_SUMMARY), "409": {"$ref": "#/components/responses/Conflict"}, **WRITE_ERRORS}}
            },
            "/api/cases/{reference}/assign": {
                "post": {
                    "summary": "Assign the case to a staff member",
                    "parameters": [REF],
                    "requestBody": _body({"staff_id": {"type": "integer"}}, ["staff_id"]),
                    "responses": {"200": _json(CASE_SUMMARY), "409": {"$ref": "#/components/responses/Conflict"}, **WRITE_ERRORS},
                }
            },
            "/api/cases/{reference}/notes": {
                "post": {
                    "summary": "Add an internal note (never shown to the investor)",
                    "parameters": [REF],
                    "requestBody": _body({"body": {"type": "string", "maxLength": 4000}}, ["body"]),
                    "responses": {"201": _json({"type": "object", "properties": {"id": {"type": "integer"}, "body": {"type": "string"}}}, "Created"), **WRITE_ERRORS},
                }
            },
            "/api/cases/{reference}/reply": {
                "post": {
                    "summary": "Reply to the investor on their own channel",
                    "description": "Queued, then relayed through the assistant. `status` is the reply's real state: "
                    "`pending`/`sending` (queued; retried with backoff when the assistant or the channel refused it), "
                    "`stored` (the website investor is away: shown when they come back, never sent twice), `sent` "
                    "(accepted by the channel), `delivered` (the investor's widget showed it, or WhatsApp/Twilio "
                    "reported it delivered; note `read` once read), `failed` (the channel cannot push, or refused it "
                    "5 times: resend it). `delivered` is true only for `delivered`. `delivery_note` is "
                    "`whatsapp_template` when WhatsApp's 24-hour window had closed; `delivery` names the console's label.",
                    "parameters": [REF],
                    "requestBody": _body({"text": {"type": "string", "maxLength": 4000}}, ["text"]),
                    "responses": {
                        "201": _json(REPLY_STATE, "Created"),
                        "409": {"$ref": "#/components/responses/Conflict"},
                        **WRITE_ERRORS,
                    },
                }
            },
            "/api/cases/{reference}/replies/{message_id}/resend": {
                "post": {
                    "summary": "Send a failed reply again (fresh tries)",
                    "parameters": [REF, {"name": "message_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": _json(REPLY_STATE, "Queued again"),
                        "409": {"$ref": "#/components/responses/Conflict"},
                        **WRITE_ERRORS,
                    },
                }
            },
            "/api/cases/{reference}/status": {
                "post": {
                    "summary": "Change the status (resolve, close, reopen…)",
                    "parameters": [REF],
                    "requestBody": _body({"status": {"$ref": "#/components/schemas/Status"}}, ["status"]),
                    "responses": {"200": _json(CASE_SUMMARY), **WRITE_ERRORS},
                }
            },
            "/api/cases/{reference}/topic": {
                "post": {
                    "summary": "File the request under another topic (null: not classified); the first topic is classified from the investor's summary",
                    "parameters": [REF],
                    "requestBody": _body({"topic": {"type": ["string", "null"], "example": "financing"}}, ["topic"]),
                    "responses": {"200": _json(CASE_SUMMARY), **WRITE_ERRORS},
                }
            },
            "/api/cases/{reference}/live": {
                "post": {
                    "summary": "Take the conversation over live (the bot pauses) or hand it back (the bot resumes)",
                    "parameters": [REF],
                    "requestBody": _body({"live": {"type": "boolean"}}, ["live"]),
                    "responses": {
                        "200": _json(CASE_SUMMARY),
                        "409": {"$ref": "#/components/responses/Conflict"},
                        "503": {"$ref": "#/components/responses/RasaUnavailable"},
                        **WRITE_ERRORS,
                    },
                }
            },
            "/api/cases/{reference}/export": {
                "get": {"summary": "Everything stored about the investor (right of access), as JSON, with the creation plan in every language", "parameters": [REF], "responses": {"200": _json({"type": "object", "properties": {"plan": {"oneOf": [{"$ref": "#/components/schemas/Plan"}, {"type": "null"}]}}}), **ERRORS}}
            },
            "/api/spool/rejected": {
                "get": {"summary": "Case requests the database refused for good (set aside from the action server's spool, not retried) and not dismissed: when, why, and the request as kept (also shown at /staff/spool)", "responses": {"200": {"description": "Entries", "content": {"application/json": {"schema": {"type": "object", "properties": {"count": {"type": "integer"}, "entries": {"type": "array", "items": {"type": "object"}}}}}}}}}
            },
            "/api/spool/rejected/{rejection_id}/dismiss": {
                "post": {"summary": "A staff member handled a set-aside case request (e.g. re-created the case): it leaves the list and the banner", "parameters": [{"name": "rejection_id", "in": "path", "required": True, "schema": {"type": "integer"}}], "responses": {"200": _json({"type": "object"}), **WRITE_ERRORS}}
            },
            "/api/cases/{reference}/erase": {
                "post": {"summary": "Erase the investor's personal data and the conversation (right to erasure)", "parameters": [REF], "responses": {"200": _json(CASE_SUMMARY), **WRITE_ERRORS}}
            },
        },
        "components": {
            "securitySchemes": {"staffSession": {"type": "apiKey", "in": "cookie", "name": "mre_staff_session"}},
            "schemas": {
                "Status": {"type": "string", "enum": list(CASE_STATUSES)},
                "Staff": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}}},
                "CaseSummary": {
                    "type": "object",
                    "properties": {
                        "reference": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "language": {"type": "string", "enum": ["fr", "ar", "en"]},
                        "channel": {"type": "string"},
                        "region": {"type": ["string", "null"]},
                        "topic": {"type": ["string", "null"]},
                        "stage": {"type": ["string", "null"]},
                        "live": {"type": "boolean"},
                        "assignee": {"type": ["string", "null"]},
                        "created_at": {"type": "string", "format": "date-time"},
                        "updated_at": {"type": ["string", "null"], "format": "date-time"},
                        "erased": {"type": "boolean"},
                        "name": {"type": ["string", "null"]},
                        "sector": {"type": ["string", "null"]},
                        "summary_excerpt": {"type": ["string", "null"]},
                        "activity": {"$ref": "#/components/schemas/Activity", "description": "in the list only"},
                    },
                },
                "CaseDetail": {
                    "allOf": [
                        CASE_SUMMARY,
                        {
                            "type": "object",
                            "properties": {
                                "contact": {"type": "object"},
                                "profile": {"type": "object"},
                                "summary": {"type": ["string", "null"]},
                                "transcript": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                                "notes": {"type": "array", "items": {"type": "object"}},
                                "events": {"type": "array", "items": {"type": "object"}},
                                "staff_messages": {"type": "array", "items": {"type": "object"}},
                                "plan": {
                                    "oneOf": [{"$ref": "#/components/schemas/Plan"}, {"type": "null"}],
                                    "description": "the creation plan made in the case's conversation, in its language (null if none, or once erased)",
                                },
                            },
                        },
                    ]
                },
                "Plan": {
                    "type": "object",
                    "description": "The investor's creation plan (assistant/plan/document.py): the answers it was built from and the plan",
                    "properties": {
                        "language": {"type": "string", "enum": ["fr", "ar", "en"]},
                        "inputs": {
                            "type": "object",
                            "description": "the form's answers; null = not given or \"je ne sais pas\"",
                            "properties": {
                                "country": {"type": ["string", "null"]}, "region": {"type": ["string", "null"]},
                                "sector": {"type": ["string", "null"]}, "partners": {"type": ["string", "null"]},
                                "mre_stake": {"type": ["number", "null"]}, "amount": {"type": ["number", "null"], "description": "MAD"},
                                "fx_share": {"type": ["number", "null"], "description": "percent"},
                                "stage": {"type": ["string", "null"]}, "turnover": {"type": ["number", "null"], "description": "MAD a year"},
                                "capital": {"type": ["number", "null"], "description": "MAD"}, "jobs": {"type": ["number", "null"]},
                                "channel": {"type": ["string", "null"]},
                            },
                        },
                        "pdf": {"type": "object", "description": "the PDF per language (unguessable links)", "additionalProperties": {"type": "string"}},
                        "document": {"type": "object", "description": "the plan in its language: legal form, steps, financing, programmes, sources (case detail)"},
                        "documents": {"type": "object", "description": "the plan in every language (export)", "additionalProperties": {"type": "object"}},
                        "created_at": {"type": ["string", "null"], "format": "date-time"},
                        "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    },
                },
                "Message": {
                    "type": "object",
                    "properties": {
                        "from": {"type": "string", "enum": ["investor", "assistant", "staff", "notice"], "description": "notice: an adviser joined or left"},
                        "text": {"type": "string"},
                        "html": {"type": "string", "description": "the text escaped, then bold, lists and http(s) links as HTML; numbers and references isolated left-to-right"},
                        "at": {"type": ["number", "null"], "description": "Unix time"},
                    },
                },
                "Conversation": {
                    "type": "object",
                    "properties": {
                        "live": {"type": "boolean", "description": "false: the assistant was unreachable, this is the snapshot"},
                        "paused": {"type": ["boolean", "null"]},
                        "case_live": {"type": "boolean"},
                        "source": {"type": "string", "enum": ["tracker", "snapshot"]},
                        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                        "staff_messages": {"type": "array", "items": {"type": "object"}},
                        "activity": {"$ref": "#/components/schemas/Activity"},
                    },
                },
                "Activity": {
                    "type": "object",
                    "description": "Presence and waiting time of the investor",
                    "properties": {
                        "connected": {"type": "boolean", "description": "the website widget is open now"},
                        "last_seen": {"type": ["string", "null"], "format": "date-time"},
                        "last_investor_message": {"type": ["string", "null"], "format": "date-time"},
                        "whatsapp_window_open": {"type": ["boolean", "null"], "description": "null for other channels"},
                        "waiting_since": {"type": ["string", "null"], "format": "date-time", "description": "null: answered, or the case is done"},
                        "waiting_seconds": {"type": ["integer", "null"]},
                        "overdue": {"type": "boolean", "description": "waiting past CASE_RESPONSE_DAYS working days"},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
                },
            },
            "responses": {
                "BadRequest": _json({"$ref": "#/components/schemas/Error"}, "Malformed JSON or invalid field"),
                "Unauthenticated": _json({"$ref": "#/components/schemas/Error"}, "Not logged in"),
                "Csrf": _json({"$ref": "#/components/schemas/Error"}, "Missing or wrong X-CSRF-Token"),
                "NotFound": _json({"$ref": "#/components/schemas/Error"}, "No such case"),
                "Conflict": _json({"$ref": "#/components/schemas/Error"}, "Not allowed in the case's current status"),
                "RasaUnavailable": _json({"$ref": "#/components/schemas/Error"}, "The assistant is unreachable"),
            },
        },
    }
