"""The plan as a short sequence of chat messages, readable on a phone (pure functions).

1. the legal form and why; 2. the numbered steps with the competent CRI, a "details"
button per step; 3. the financing pre-check, one line per programme with its indicative
amount; 4. the programmes of the country of residence; 5. the PDF links and the
guidance unit one button away. Everything comes from the plan document.

Every figure carries its source as a note number ("230 DH [1]"), and each message ends with
its notes: title, date and link, as the PDF shows them; what our sources do not confirm is
flagged ❓ and the first message that flags something says what ❓ means. In Arabic, amounts,
percentages, URLs and references are isolated (assistant/bidi.py).
"""

from __future__ import annotations

from typing import Any

from assistant.bidi import FSI, PDI, isolate_for
from assistant.plan.document import t

Message = tuple[str, list[dict[str, str]]]
MAX_BUTTON_TITLE = 20  # WhatsApp list rows: 24 characters
FLAG = "❓"
KIND_ORDER = ("official", "law", "press", "secondary")

#: A knowledge entry's topic decides the intent of its button (`/ask_creation{"kb_entry": …}`).
STEP_INTENT = "ask_creation"
FINANCING_INTENT = "ask_financing"
PROGRAMME_INTENT = "ask_programme"
LEGAL_INTENT = "ask_legal_form"


def _button(title: str, intent: str, entry: str) -> dict[str, str]:
    if len(title) > MAX_BUTTON_TITLE:
        title = title[: MAX_BUTTON_TITLE - 1].rstrip() + "…"
    return {"title": title, "payload": f'/{intent}{{"kb_entry": "{entry}"}}'}


class Notes:
    """The sources of one message, numbered in order of first use (one number per URL and entry
    review date: a page cited by two entries reviewed on different days is two notes)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.lang = doc["language"]
        self.heading = doc["headings"]["sources"]
        self.sources: list[dict[str, str]] = []

    def ref(self, *sources: dict[str, str]) -> str:
        numbers = []
        for source in sources:
            keys = [(s["url"], s.get("reviewed", "")) for s in self.sources]
            key = (source["url"], source.get("reviewed", ""))
            if key not in keys:
                self.sources.append(source)
                keys.append(key)
            number = keys.index(key) + 1
            if number not in numbers:
                numbers.append(number)
        return "".join(f"[{n}]" for n in numbers)

    def block(self) -> str:
        if not self.sources:
            return ""
        lines = [f"📚 {self.heading}"]
        for n, s in enumerate(self.sources, start=1):
            title = f"{FSI}{s['title']}{PDI}" if self.lang == "ar" else s["title"]
            sep = "، " if self.lang == "ar" else ", "
            reviewed = f"{sep}{s['reviewed']}" if s.get("reviewed") else ""
            lines.append(f"[{n}] {title}{sep}{s['date']}{reviewed} — {s['url']}")
        return "\n".join(lines)


def _best(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    """A programme's first official (else legal, press, secondary) source: one note per line on a phone."""
    ranked = sorted(sources, key=lambda s: KIND_ORDER.index(s.get("kind", "secondary")) if s.get("kind") in KIND_ORDER else len(KIND_ORDER))
    return ranked[:1]


def _finish(lines: list[str], notes: Notes, legend: list[str]) -> str:
    """The message's text, its notes, and what ❓ means the first time it is used."""
    text = "\n".join(lines)
    if FLAG in text and legend:
        text += "\n" + legend.pop()
    block = notes.block()
    return f"{text}\n\n{block}" if block else text


def plan_messages(doc: dict[str, Any], pdf_links: dict[str, str] | None) -> list[Message]:
    lang = doc["language"]
    colon = " : " if lang == "fr" else ": "
    legend = [doc["unconfirmed"]]  # said once, where ❓ first appears
    legal = doc["legal"]
    notes = Notes(doc)
    refs = notes.ref(*legal.get("sources", ()))
    lines = [f"📋 {doc['title']}", doc["indicative"], "", f"⚖️ {legal['title']} {refs}".rstrip(),
             *(f"• {r}" for r in legal["reasons"])]
    if legal["alternatives"]:
        lines += [f"{doc['headings']['alternatives']}{colon.rstrip()}", *(f"◦ {a['text']}" for a in legal["alternatives"])]
    messages: list[Message] = [(_finish(lines, notes, legend), [_button(t("forms." + legal["form"], lang), LEGAL_INTENT, legal["entry"])])]

    notes = Notes(doc)
    lines = [f"📍 {doc['cri']['text']}", "", f"🪜 {doc['headings']['steps']}"]
    buttons = []
    for i, step in enumerate(doc["steps"], start=1):
        figures = "; ".join(
            f"{f['label']} {f['text']} {notes.ref(f['source'])}{'' if f['confirmed'] else ' ' + FLAG}" for f in step["figures"]
        )
        lines.append(f"{i}. {step['title']} — {step['body']}" + (f" ({figures})" if figures else ""))
        buttons.append(_button(f"{i}. {step['title']}", STEP_INTENT, step["entry"]))
    messages.append((_finish(lines, notes, legend), buttons))

    notes = Notes(doc)
    lines = [f"💶 {doc['headings']['financing']}"]
    for p in doc["financing"]:
        flag = "" if p["confirmed"] else f" {FLAG}"
        line = f"• {p['name']} {notes.ref(*_best(p['sources']))}{colon}{p['verdict_text']}{flag}"
        if p["amounts"]:
            line += f"\n  {p['amounts'][0]}"
        failed = [c["text"] for c in p["conditions"] if c["status"] == "not_met"]
        if failed:
            line += f"\n  ❌ {failed[0]}"
        lines.append(line)
    fin_buttons = [_button(p["name"], FINANCING_INTENT, p["entry"]) for p in doc["financing"] if p["verdict"] != "not_eligible"][:3]
    messages.append((_finish(lines, notes, legend), fin_buttons))

    if doc["programmes"]:
        notes = Notes(doc)
        lines = [f"🤝 {doc['headings']['programmes']}"]
        lines += [f"• {p['name']} ({p['period']}) {notes.ref(p['source'])}{'' if p['confirmed'] else ' ' + FLAG}" for p in doc["programmes"]]
        messages.append((_finish(lines, notes, legend), [_button(p["name"], PROGRAMME_INTENT, p["entry"]) for p in doc["programmes"]][:3]))

    last = [doc["guidance"]]
    final_buttons = [{"title": t("chat.advisor", lang), "payload": "/request_human"}]
    if pdf_links:
        others = "\n".join(f"{t(f'chat.language_names.{other}', lang)}{colon}{pdf_links[other]}" for other in ("fr", "ar", "en") if other != lang)
        last.insert(0, t("chat.pdf", lang, url=pdf_links[lang], others=others))
    else:
        last.insert(0, t("chat.pdf_unavailable", lang))
    messages.append(("\n\n".join(last), final_buttons))
    return [(isolate_for(text, lang), buttons) for text, buttons in messages]
