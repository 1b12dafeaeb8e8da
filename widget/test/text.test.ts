import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { formatText, safeHref, textDirection, trimUrl } from "../src/text";

describe("textDirection", () => {
  it("lays Arabic out right-to-left and Latin left-to-right", () => {
    assert.equal(textDirection("مرحبا بكم! ما هو سؤالكم؟"), "rtl");
    assert.equal(textDirection("Bonjour et bienvenue !"), "ltr");
    assert.equal(textDirection("Hello"), "ltr");
    assert.equal(textDirection("1234 !"), "ltr");
  });

  it("follows the dominant script in mixed text", () => {
    assert.equal(textDirection("ما هو برنامج MDM Invest؟"), "rtl");
    assert.equal(
      textDirection("Bonjour ! · مرحبا! · Hello!\nChoisissez votre langue · اختر لغتك · Choose your language"),
      "ltr",
    );
    assert.equal(textDirection("La SARL, c'est la شركة ذات المسؤولية المحدودة en français"), "ltr");
  });

  it("ignores URLs when counting", () => {
    const source =
      "📎 المصدر: Indicac — La SARL au Maroc — https://www.indicac.ma/articles/sarl-maroc (n.d.)\nتم التحقق من هذه المعلومة بتاريخ 2026-11-22.";
    assert.equal(textDirection(source), "rtl");
  });

  it("lets the first strong letter decide a near tie", () => {
    assert.equal(textDirection("SARL شركة"), "ltr");
    assert.equal(textDirection("شركة SARL"), "rtl");
  });
});

describe("formatText", () => {
  it("keeps plain text as one segment, line breaks included", () => {
    assert.deepEqual(formatText("a\nb"), [{ text: "a\nb", bold: false }]);
  });

  it("renders WhatsApp-style bold", () => {
    assert.deepEqual(formatText("*Titre*\n\nTexte"), [
      { text: "Titre", bold: true },
      { text: "\n\nTexte", bold: false },
    ]);
    assert.deepEqual(formatText("un *mot* ici"), [
      { text: "un ", bold: false },
      { text: "mot", bold: true },
      { text: " ici", bold: false },
    ]);
  });

  it("leaves stars that are not markup", () => {
    for (const text of ["2*3*4", "a * b * c", "**", "*ouvert", "* espace*", "*multi\nligne*"]) {
      assert.deepEqual(formatText(text), [{ text, bold: false }], text);
    }
  });

  it("links http(s) and www. addresses", () => {
    assert.deepEqual(formatText("Voir https://example.org/a?b=1, puis www.ae.gov.ma."), [
      { text: "Voir ", bold: false },
      { text: "https://example.org/a?b=1", bold: false, href: "https://example.org/a?b=1" },
      { text: ", puis ", bold: false },
      { text: "www.ae.gov.ma", bold: false, href: "https://www.ae.gov.ma/" },
      { text: ".", bold: false },
    ]);
  });

  it("stops links at Arabic text and unbalanced brackets", () => {
    const segments = formatText("(www.ae.gov.ma) أو لدى الخلية");
    assert.deepEqual(
      segments.filter((s) => s.href).map((s) => s.text),
      ["www.ae.gov.ma"],
    );
    assert.equal(trimUrl("https://fr.wikipedia.org/wiki/SARL_(Maroc)"), "https://fr.wikipedia.org/wiki/SARL_(Maroc)");
    assert.equal(trimUrl("https://example.org/x)."), "https://example.org/x");
  });

  it("links inside bold text", () => {
    assert.deepEqual(formatText("*https://example.org*"), [
      { text: "https://example.org", bold: true, href: "https://example.org/" },
    ]);
  });

  it("shows a long link by its site, keeping the whole address as the target", () => {
    const url = "https://www.experts-union.ma/les-nouvelles-dispositions-de-la-loi-24-10-modifiant";
    assert.deepEqual(
      formatText(`Source : ${url} (2011)`).filter((s) => s.href),
      [{ text: "experts-union.ma/…", bold: false, href: url }],
    );
  });

  it("never links other schemes", () => {
    assert.deepEqual(formatText("javascript:alert(1) data:text/html,x"), [
      { text: "javascript:alert(1) data:text/html,x", bold: false },
    ]);
    assert.equal(safeHref("javascript:alert(1)"), null);
    assert.equal(safeHref("https://x.test/<b>"), "https://x.test/%3Cb%3E");
  });

  it("keeps HTML as text", () => {
    assert.deepEqual(formatText("<img src=x onerror=alert(1)>"), [
      { text: "<img src=x onerror=alert(1)>", bold: false },
    ]);
  });
});

describe("left-to-right isolation", () => {
  it("isolates phone numbers, e-mails and references inside Arabic text", () => {
    const ltr = (text: string) =>
      formatText(text)
        .filter((segment) => segment.ltr)
        .map((segment) => segment.text);
    assert.deepEqual(ltr("الهاتف: +4915123456789"), ["+4915123456789"]);
    assert.deepEqual(ltr("الهاتف: +32 470 12 34 56، شكرا"), ["+32 470 12 34 56"]);
    assert.deepEqual(ltr("البريد: amina.tazi@example.fr."), ["amina.tazi@example.fr"]);
    assert.deepEqual(ltr("مرجع طلبكم MRE-2026-000007 وشكرا"), ["MRE-2026-000007"]);
    assert.deepEqual(ltr("رأس المال 10 000 درهم"), []);
    assert.deepEqual(ltr("Bonjour"), []);
  });

  it("a URL isolated inside Arabic text (U+2068 … U+2069) links without the marks", () => {
    const segments = formatText("خطتكم: \u2068https://example.org/plan/x.pdf?lang=ar\u2069\nبلغات أخرى");
    const link = segments.find((segment) => segment.href);
    assert.equal(link?.href, "https://example.org/plan/x.pdf?lang=ar");
    assert.equal(link?.text, "https://example.org/plan/x.pdf?lang=ar");
  });

  it("keeps links as links (they are isolated as links)", () => {
    const segments = formatText("راجعوا https://example.org/a و +212600000000");
    assert.equal(segments.find((segment) => segment.href)?.text, "https://example.org/a");
    assert.equal(segments.find((segment) => segment.ltr)?.text, "+212600000000");
  });
});
