"""The plan as a short sequence of chat messages, readable on a phone (pure functions).

1. the legal form and why; 2. the numbered steps with the competent CRI, a "details"
button per step; 3. the financing pre-check, one line per programme with its indicative
amount; 4. the programmes of the country of residence; 5. the PDF links and the
guidance unit one button away. Everything comes from the plan document.
"""

from __future__ import annotations

from typing import Any

from assistant.plan.document import t

Message = tuple[str, list[dict[str, str]]]
MAX_BUTTON_TITLE = 20  # WhatsApp list rows: 24 characters

#: A knowledge entry's topic decides the intent of its button (`/ask_creation{"kb_entry": …}`).
STEP_INTENT = "ask_creation"
FINANCING_INTENT = "ask_financing"
PROGRAMME_INTENT = "ask_programme"
LEGAL_INTENT = "ask_legal_form"


def _button(title: str, intent: str, entry: str) -> dict[str, str]:
    if len(title) > MAX_BUTTON_TITLE:
        title = title[: MAX_BUTTON_TITLE - 1].rstrip() + "…"
    return {"title": title, "payload": f'/{intent}{{"kb_entry": "{entry}"}}'}


def _isolate(text: str, lang: str) -> str:
    """Numbers, references and URLs inside Arabic text keep their direction (FSI … PDI)."""
    return f"\u2068{text}\u2069" if lang == "ar" else text


def plan_messages(doc: dict[str, Any], pdf_links: dict[str, str] | None) -> list[Message]:
    lang = doc["language"]
    legal = doc["legal"]
    first = "\n".join(
        [f"📋 {doc['title']}", doc["indicative"], "", f"⚖️ {legal['title']}", *(f"• {r}" for r in legal["reasons"])]
    )
    alternatives = "\n".join(f"◦ {a['text']}" for a in legal["alternatives"])
    if alternatives:
        first += f"\n{doc['headings']['alternatives']} :\n{alternatives}" if lang == "fr" else f"\n{doc['headings']['alternatives']}:\n{alternatives}"
    messages: list[Message] = [(first, [_button(t("forms." + legal["form"], lang), LEGAL_INTENT, legal["entry"])])]

    lines = [f"📍 {doc['cri']['text']}", "", f"🪜 {doc['headings']['steps']}"]
    buttons = []
    for i, step in enumerate(doc["steps"], start=1):
        figures = "; ".join(f"{f['label']} {_isolate(f['text'], lang)}{'' if f['confirmed'] else ' ❓'}" for f in step["figures"])
        lines.append(f"{i}. {step['title']} — {step['body']}" + (f" ({figures})" if figures else ""))
        buttons.append(_button(f"{i}. {step['title']}", STEP_INTENT, step["entry"]))
    messages.append(("\n".join(lines), buttons))

    lines = [f"💶 {doc['headings']['financing']}"]
    for p in doc["financing"]:
        line = f"• {p['name']} : {p['verdict_text']}" if lang == "fr" else f"• {p['name']}: {p['verdict_text']}"
        if p["amounts"]:
            line += f"\n  {p['amounts'][0]}"
        failed = [c["text"] for c in p["conditions"] if c["status"] == "not_met"]
        if failed:
            line += f"\n  ❌ {failed[0]}"
        lines.append(line)
    lines += ["", doc["unconfirmed"]]
    fin_buttons = [_button(p["name"], FINANCING_INTENT, p["entry"]) for p in doc["financing"] if p["verdict"] != "not_eligible"][:3]
    messages.append(("\n".join(lines), fin_buttons))

    if doc["programmes"]:
        lines = [f"🤝 {doc['headings']['programmes']}"]
        lines += [f"• {p['name']} ({p['period']}){'' if p['confirmed'] else ' ❓'}" for p in doc["programmes"]]
        messages.append(("\n".join(lines), [_button(p["name"], PROGRAMME_INTENT, p["entry"]) for p in doc["programmes"]][:3]))

    last = [doc["guidance"]]
    final_buttons = [{"title": t("chat.advisor", lang), "payload": "/request_human"}]
    if pdf_links:
        others = "\n".join(
            f"{t(f'chat.language_names.{other}', lang)}: {_isolate(pdf_links[other], lang)}" for other in ("fr", "ar", "en") if other != lang
        )
        last.insert(0, t("chat.pdf", lang, url=_isolate(pdf_links[lang], lang), others=others))
    else:
        last.insert(0, t("chat.pdf_unavailable", lang))
    messages.append(("\n\n".join(last), final_buttons))
    return messages
