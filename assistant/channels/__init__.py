"""Input channels of the Rasa server (they run inside the Rasa process).

Among them, the two WhatsApp channels:
- `whatsapp`: WhatsApp Cloud API (Meta) webhook at `/webhooks/whatsapp/webhook`;
- `twilio`: WhatsApp through Twilio at `/webhooks/twilio/webhook`;
with their helpers `formatting` (WhatsApp's limits), `graph_api` (sending with
retries), `dedup` (inbound message ids in the database), `claimed` (claimed messages
answered in the background and recovered after a restart) and `common`.

They are registered in credentials.yml by class path and read their configuration
from `assistant.settings` (environment), so an unconfigured channel never stops Rasa
from starting: its webhook answers 503 instead. Code here must import in the Rasa
environment (SQLAlchemy 1.4 Core, aiohttp 3.9, Sanic 21.12).
"""
