"""The creation plan as a PDF (fr / ar / en), with the font embedded.

fpdf2 with HarfBuzz text shaping (uharfbuzz) joins Arabic letters and orders mixed
right-to-left text (the Unicode bidi algorithm), so numbers, references and URLs inside
Arabic sentences keep their direction. The font is DejaVu Sans from Debian's
`fonts-dejavu-core` (`PLAN_FONT_DIR`), which covers Latin and Arabic; it is read from
disk, never downloaded. Pure function: document dict in, PDF bytes out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
STATUS_COLOURS = {"met": (22, 120, 60), "not_met": (170, 30, 30), "to_confirm": (150, 100, 0)}
# the status marks of texts.yml start with an emoji the font lacks: the PDF uses words + colour
MARK_PREFIXES = ("✅ ", "❌ ", "❓ ")
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"  # Unicode isolates (fpdf2's bidi algorithm honours them)
SOURCE_SIZE, MIN_SOURCE_SIZE, SOURCE_INDENT = 7.0, 5.0, 8.0  # source lines: points, points, mm


class PlanPdf(FPDF):
    def __init__(self, doc: dict[str, Any], font_dir: Path) -> None:
        super().__init__(format="A4")
        self.doc = doc
        self.rtl = doc["language"] == "ar"
        self.add_font("Plan", "", str(font_dir / REGULAR))
        self.add_font("Plan", "B", str(font_dir / BOLD))
        self.set_text_shaping(use_shaping_engine=True, script="arab" if self.rtl else None,
                              language="ar" if self.rtl else None, direction="rtl" if self.rtl else "ltr")
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        self.set_title(doc["title"])
        self.set_lang(doc["language"])
        self.set_creator("MRE guidance assistant")

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Plan", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"{self.doc['title']} · {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    def para(self, text: str, size: float = 10, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0), indent: float = 0) -> None:
        self.set_font("Plan", "B" if bold else "", size)
        self.set_text_color(*colour)
        width = self.epw - indent
        self.set_x(self.l_margin + (0 if self.rtl else indent))
        self.multi_cell(width, size * 0.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def source(self, source: dict[str, str]) -> None:
        """A source line, set small enough for its URL to fit one line: a URL cut in two (a press
        article's long address) can no longer be copied or read whole."""
        size, width = SOURCE_SIZE, self.epw - SOURCE_INDENT
        self.set_font("Plan", "", size)
        while size > MIN_SOURCE_SIZE and self.get_string_width(source["url"]) > width * 0.97:
            size -= 0.5
            self.set_font("Plan", "", size)
        self.para(_source_text(source, self.doc), size=size, colour=(90, 90, 90), indent=SOURCE_INDENT)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.para(text, size=13, bold=True, colour=(20, 70, 120))
        self.set_draw_color(20, 70, 120)
        self.line(self.l_margin, self.get_y() + 0.5, self.l_margin + self.epw, self.get_y() + 0.5)
        self.ln(2)


def _strip_mark(mark: str) -> str:
    for prefix in MARK_PREFIXES:
        if mark.startswith(prefix):
            return mark[len(prefix):]
    return mark


def _source_text(source: dict[str, str], doc: dict[str, Any]) -> str:
    """Title, URL (date), review. In Arabic the URL is a left-to-right isolate (a trailing "/"
    would otherwise jump to its other end) and the title keeps its own direction."""
    date = source.get("date") or ""
    verified = source.get("reviewed")
    title, url = source["title"], source["url"]
    if doc["language"] == "ar":
        title, url, sep = f"{FSI}{title}{PDI}", f"{LRI}{url}{PDI}", "، "
    else:
        sep = ", "
    return f"{title}{sep}{url} ({date})" + (f"{sep}{verified}" if verified else "")


def render_pdf(doc: dict[str, Any], font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The plan document (assistant/plan/document.py) as PDF bytes."""
    pdf = PlanPdf(doc, font_dir)
    colon = " : " if doc["language"] == "fr" else ": "
    h = doc["headings"]
    pdf.add_page()
    pdf.para(doc["title"], size=18, bold=True, colour=(20, 70, 120))
    pdf.para(doc["generated"], size=9, colour=(90, 90, 90))
    pdf.ln(1)
    pdf.para(doc["indicative"], size=9, colour=(90, 90, 90))

    pdf.heading(h["inputs"])
    for row in doc["inputs"]:
        pdf.para(f"{row['label']}{colon}{row['value']}")

    pdf.heading(h["legal"])
    legal = doc["legal"]
    pdf.para(legal["title"], size=11, bold=True)
    for reason in legal["reasons"]:
        pdf.para(f"• {reason}", indent=3)
    if legal["alternatives"]:
        pdf.para(h["alternatives"], bold=True)
        for alt in legal["alternatives"]:
            pdf.para(f"◦ {alt['text']}", indent=3)
    for source in legal.get("sources", ()):  # plans stored before the sources were added have none
        pdf.source(source)

    pdf.heading(h["cri"])
    pdf.para(doc["cri"]["text"])

    pdf.heading(h["steps"])
    for i, step in enumerate(doc["steps"], start=1):
        pdf.para(f"{i}. {step['title']}", size=11, bold=True)
        pdf.para(step["body"], indent=4)
        for document in step["documents"]:
            pdf.para(f"– {document}", size=9, indent=6)
        for fig in step["figures"]:
            flag = "" if fig["confirmed"] else f" ({doc['to_confirm']})"
            pdf.para(f"{fig['label']}{colon}{fig['text']}{flag}", size=9, indent=6)
            pdf.source(fig["source"])
        pdf.para(step["abroad"], size=9, indent=4, colour=(40, 40, 40))
        pdf.source(step["source"])
        pdf.ln(1)

    pdf.heading(h["financing"])
    for prog in doc["financing"]:
        pdf.para(f"{prog['name']}{colon}{prog['verdict_text']}", size=11, bold=True)
        for cond in prog["conditions"]:
            pdf.para(f"{_strip_mark(cond['mark'])}{colon}{cond['text']}", size=9, indent=4, colour=STATUS_COLOURS[cond["status"]])
        for line in prog["amounts"]:
            pdf.para(f"= {line}", size=9, bold=True, indent=4)
        for line in prog["changes"]:
            pdf.para(f"~ {line}", size=8, indent=4, colour=(60, 60, 60))
        for source in prog["sources"]:
            pdf.source(source)
        pdf.ln(1)

    if doc["programmes"]:
        pdf.heading(h["programmes"])
        for prog in doc["programmes"]:
            flag = "" if prog["confirmed"] else f" ({doc['to_confirm']})"
            pdf.para(f"{prog['name']} ({prog['period']}){flag}", size=10, bold=True)
            pdf.para(prog["summary"], size=9, indent=4)
            pdf.source(prog["source"])

    pdf.heading(h["guidance"])
    pdf.para(doc["unconfirmed"].replace("❓ ", ""), size=9)
    pdf.para(doc["guidance"])
    return bytes(pdf.output())

