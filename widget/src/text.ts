/**
 * Pure text handling, no DOM: direction detection and the inline formatting the bot uses
 * (WhatsApp-style `*bold*`, bare https:// and www. links). The result is a list of
 * segments that `render.ts` turns into text nodes, so bot text never becomes markup.
 */

export type Direction = "ltr" | "rtl";

/** Letters of the Arabic script (Arabic, Supplement, Extended-A, presentation forms); no digits or punctuation. */
const ARABIC_LETTER =
  /[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]/u;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F]/u;

/**
 * http(s) and www. addresses; stops at spaces, quotes, angle brackets, guillemets, Arabic script
 * and bidi isolate marks (the assistant isolates URLs inside Arabic text: U+2066-U+2069 are not
 * part of the address).
 */
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`«»\u0600-\u06FF\u2066-\u2069]+/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"’)\]}]$/u;

/**
 * The direction a message is laid out in: right-to-left when Arabic-script letters clearly
 * dominate (links ignored, so an Arabic sentence quoting a URL stays right-to-left), left-to-right
 * when Latin letters do, and on a near tie the first strong letter decides.
 */
export function textDirection(text: string): Direction {
  let arabic = 0;
  let latin = 0;
  let first: Direction | null = null;
  for (const char of text.replace(URL_PATTERN, " ")) {
    if (ARABIC_LETTER.test(char)) {
      arabic += 1;
      first ??= "rtl";
    } else if (LATIN_LETTER.test(char)) {
      latin += 1;
      first ??= "ltr";
    }
  }
  if (arabic === 0) return "ltr";
  const share = arabic / (arabic + latin);
  if (share >= 0.6) return "rtl";
  if (share <= 0.4) return "ltr";
  return first ?? "ltr";
}

export interface Segment {
  text: string;
  bold: boolean;
  /** Set for links: an http(s) URL, safe to use as an href. */
  href?: string;
  /** A phone number, e-mail address or case reference: laid out left-to-right, isolated from Arabic around it. */
  ltr?: boolean;
}

/**
 * What must stay left-to-right inside Arabic text: e-mail addresses, phone numbers (8 digits or
 * more, optional + and single separators) and references such as MRE-2026-000123. Without
 * isolation "+4915123456789" shows as "4915123456789+" and a reference breaks across lines.
 */
const LTR_PATTERN =
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}|\b[A-Z]{2,6}-\d{4}-\d{3,8}\b|(?:\+|\b00|\b)\d(?:[ .-]?\d){7,}\b/gu;

function splitLtr(text: string, bold: boolean): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(LTR_PATTERN)) {
    const start = match.index ?? 0;
    if (start > cursor) segments.push({ text: text.slice(cursor, start), bold });
    segments.push({ text: match[0], bold, ltr: true });
    cursor = start + match[0].length;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), bold });
  return segments;
}

/**
 * `*bold*` as WhatsApp writes it: stars hugging non-space text, not inside a word, on one line.
 * Group 1 is the character before the opening star (no lookbehind: older Safari lacks it).
 */
const BOLD_PATTERN = /(^|[^\p{L}\p{N}*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\p{L}\p{N}*])/gu;

function splitLinks(text: string, bold: boolean): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (start > cursor) segments.push(...splitLtr(text.slice(cursor, start), bold));
    segments.push({ text: linkLabel(url, href), bold, href });
    cursor = start + url.length;
  }
  if (cursor < text.length) segments.push(...splitLtr(text.slice(cursor), bold));
  return segments;
}

/** Longest link shown in full; longer ones (sources' deep links) show their site, to stay readable on phones. */
export const MAX_LINK_LABEL = 40;

/** What a link shows: the address itself, or `site.org/…` for a long one (the href keeps it whole). */
export function linkLabel(address: string, href: string): string {
  if (address.length <= MAX_LINK_LABEL) return address;
  const host = new URL(href).hostname.replace(/^www\./u, "");
  return `${host}/…`;
}

/** Drops sentence punctuation after a URL; a closing bracket stays when the URL opened one. */
export function trimUrl(url: string): string {
  let result = url;
  while (TRAILING_PUNCTUATION.test(result)) {
    const last = result.slice(-1);
    const opener = { ")": "(", "]": "[", "}": "{" }[last];
    if (opener && count(result, opener) >= count(result, last)) break;
    result = result.slice(0, -1);
  }
  return result;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** An absolute http(s) URL for the address, or null: no other scheme ever becomes a link. */
export function safeHref(address: string): string | null {
  const candidate = /^www\./iu.test(address) ? `https://${address}` : address;
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits message text into plain, bold and link segments (line breaks stay in the text). */
export function formatText(text: string): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(BOLD_PATTERN)) {
    const start = (match.index ?? 0) + (match[1] ?? "").length;
    if (start > cursor) segments.push(...splitLinks(text.slice(cursor, start), false));
    segments.push(...splitLinks(match[2] ?? "", true));
    cursor = (match.index ?? 0) + match[0].length;
  }
  if (cursor < text.length) segments.push(...splitLinks(text.slice(cursor), false));
  return segments;
}

/** What a message's text looks like once formatted, without the markup (for notifications, tests). */
export function plainText(text: string): string {
  return formatText(text)
    .map((segment) => segment.text)
    .join("");
}
