"""Drafts to knowledge: a console form becomes an entry of the `knowledge/` schema,
validated by the same validator as `make kb-check`, reviewed, then published.

Publishing writes the entry to `KNOWLEDGE_DIR/<topic>/<id>.yml` (the repository's own
format: commit that file, the repository stays the single source of truth) and loads
the directory as a new knowledge version: the action server answers from it within
seconds and the NLU's entity patterns re-read the synonyms without retraining. If the
load fails the file is put back as it was and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from assistant.db.engine import session_scope
from assistant.db.models import StaffUser
from assistant.db.types import utcnow
from assistant.insights.models import KnowledgeDraft, StaffRole
from assistant.kb.schema import KnowledgeError, validate_entry
from assistant.kb.sources import untied_facts
from assistant.kb.store import load_knowledge
from assistant.settings import get_settings

TEXT_LANGUAGES = ("fr", "ar", "en")
VARIETIES = ("fr", "ar", "en", "darija", "arabizi")
ROLES = ("adviser", "editor")


class DraftError(Exception):
    """Refused: `key` is a console string key, `detail` the validator's message."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key
        self.detail = detail


def _split(value: str, separator: str) -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def document_from_form(form: Any) -> dict[str, Any]:
    """The entry document (same fields as a `knowledge/` file) from the draft form."""
    get = lambda name: str(form.get(name, "") or "").strip()  # noqa: E731
    doc: dict[str, Any] = {
        "id": get("id"),
        "topic": get("topic"),
        "facet": get("facet") or "overview",
        "status": get("status") or "to_confirm",
        "reviewed_on": get("reviewed_on") or dt.date.today().isoformat(),
    }
    if get("subject"):
        doc["subject"] = get("subject")
    facts_text = get("facts")
    if facts_text:
        try:
            doc["facts"] = yaml.safe_load(facts_text)
        except yaml.YAMLError:
            raise DraftError("draft_invalid", "facts: not valid YAML") from None
    for key in ("title", "answer", "caveat"):
        texts = {lang: get(f"{key}_{lang}") for lang in TEXT_LANGUAGES if get(f"{key}_{lang}")}
        if texts or key != "caveat":
            doc[key] = texts
    for key, separator in (("synonyms", ","), ("keywords", ","), ("questions", "\n")):
        lists = {v: _split(get(f"{key}_{v}"), separator) for v in VARIETIES}
        lists = {v: items for v, items in lists.items() if items}
        if lists or key == "keywords":
            doc[key] = lists
    sources = []
    for line in _split(get("sources"), "\n"):
        parts = [p.strip() for p in line.split("|")]
        source: dict[str, Any] = {"title": parts[0], "url": parts[1] if len(parts) > 1 else "",
                  "kind": parts[2] if len(parts) > 2 else "", "date": parts[3] if len(parts) > 3 else "undated"}
        if len(parts) > 4:  # the facts this source gives (per-fact ties)
            source["supports"] = _split(parts[4], ",")
        sources.append(source)
    doc["sources"] = sources
    return doc


def form_from_document(doc: dict[str, Any]) -> dict[str, str]:
    """The form's values for a stored draft."""
    form = {key: str(doc.get(key, "") or "") for key in ("id", "topic", "facet", "status", "reviewed_on", "subject")}
    form["reviewed_on"] = form["reviewed_on"] or str(doc.get("verified_on", "") or "")
    for key in ("title", "answer", "caveat"):
        for lang in TEXT_LANGUAGES:
            form[f"{key}_{lang}"] = str((doc.get(key) or {}).get(lang, ""))
    for key, separator in (("synonyms", ", "), ("keywords", ", "), ("questions", "\n")):
        for v in VARIETIES:
            form[f"{key}_{v}"] = separator.join((doc.get(key) or {}).get(v, []))
    form["sources"] = "\n".join(
        " | ".join([*(str(s.get(k, "")) for k in ("title", "url", "kind", "date")),
                    *([", ".join(s["supports"])] if "supports" in s else [])])
        for s in doc.get("sources") or []
    )
    form["facts"] = yaml.safe_dump(doc["facts"], allow_unicode=True, sort_keys=False) if doc.get("facts") else ""
    return form


def validate(doc: dict[str, Any]) -> None:
    """The `make kb-check` validator; DraftError naming the field."""
    if not doc.get("sources"):
        raise DraftError("draft_invalid", "sources: at least one source is required")
    try:
        entry = validate_entry(doc, f"{doc.get('topic') or 'topic'}/{doc.get('id') or 'id'}.yml")
    except KnowledgeError as exc:
        raise DraftError("draft_invalid", str(exc)) from None
    if untied := untied_facts(entry.sources, entry.facts):
        raise DraftError("draft_invalid", f"facts.{untied[0]}: name it after a source's date (… | date | {untied[0]})")


def export_yaml(doc: dict[str, Any]) -> str:
    """The entry in the `knowledge/` file format."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


async def role_of(staff: StaffUser) -> str:
    async with session_scope() as session:
        role = await session.get(StaffRole, staff.id)
    return role.role if role else "adviser"


async def set_role(email: str, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    async with session_scope() as session:
        staff = await session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if staff is None:
            raise LookupError(f"no staff account {email}")
        existing = await session.get(StaffRole, staff.id)
        if existing is None:
            session.add(StaffRole(staff_id=staff.id, role=role))
        else:
            existing.role = role


async def list_drafts() -> list[KnowledgeDraft]:
    async with session_scope() as session:
        return list((await session.scalars(select(KnowledgeDraft).order_by(KnowledgeDraft.updated_at.desc()))).all())


async def get_draft(draft_id: int) -> KnowledgeDraft | None:
    async with session_scope() as session:
        return await session.get(KnowledgeDraft, draft_id)


async def save_draft(doc: dict[str, Any], author: StaffUser, draft_id: int | None = None, origin: str | None = None) -> KnowledgeDraft:
    """Create or update a draft (refused, field named, when the entry is not valid)."""
    validate(doc)
    async with session_scope() as session:
        if draft_id is None:
            draft = KnowledgeDraft(
                entry_id=doc["id"], topic=doc["topic"], document=doc, status="draft", origin=origin, author_id=author.id
            )
            session.add(draft)
        else:
            found = await session.get(KnowledgeDraft, draft_id)
            if found is None or found.status not in ("draft", "rejected", "in_review"):
                raise DraftError("draft_wrong_state")
            draft = found
            draft.entry_id, draft.topic, draft.document = doc["id"], doc["topic"], doc
            draft.status = "draft"
        await session.flush()
        return draft


async def submit(draft_id: int, staff: StaffUser) -> None:
    async with session_scope() as session:
        draft = await session.get(KnowledgeDraft, draft_id)
        if draft is None or draft.status not in ("draft", "rejected"):
            raise DraftError("draft_wrong_state")
        validate(draft.document)
        draft.status = "in_review"


async def _reviewable(session: Any, draft_id: int, editor: StaffUser) -> KnowledgeDraft:
    draft = await session.get(KnowledgeDraft, draft_id)
    if draft is None or draft.status != "in_review":
        raise DraftError("draft_wrong_state")
    role = await session.get(StaffRole, editor.id)
    if role is None or role.role != "editor" or draft.author_id == editor.id:
        raise DraftError("draft_not_allowed")
    return draft  # type: ignore[no-any-return]


async def reject(draft_id: int, editor: StaffUser, note: str) -> None:
    async with session_scope() as session:
        draft = await _reviewable(session, draft_id, editor)
        draft.status, draft.reviewer_id, draft.review_note = "rejected", editor.id, note[:2000] or None


@dataclass(frozen=True)
class Published:
    version: int
    path: Path


async def publish(draft_id: int, editor: StaffUser, knowledge_dir: Path | None = None) -> Published:
    """An editor other than the author publishes: file exported, new knowledge version."""
    directory = knowledge_dir or get_settings().knowledge_dir
    async with session_scope() as session:
        draft = await _reviewable(session, draft_id, editor)
        doc = draft.document
    validate(doc)
    path = directory / doc["topic"] / f"{doc['id']}.yml"
    previous = path.read_text(encoding="utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".yml.tmp")
    temporary.write_text(export_yaml(doc), encoding="utf-8")
    temporary.replace(path)
    try:
        result = await load_knowledge(directory)
    except Exception as exc:
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(previous, encoding="utf-8")
        raise DraftError("draft_invalid", str(exc)) from None
    async with session_scope() as session:
        stored = await session.get(KnowledgeDraft, draft_id)
        if stored is not None:
            stored.status, stored.reviewer_id, stored.published_version_id = "published", editor.id, result.version_id
            stored.updated_at = utcnow()
    return Published(result.version_id, path)
