/**
 * A tiny element builder, and the relabelling of interface strings: elements name the
 * string they show (`data-i18n`, `data-i18n-aria-label`, `data-i18n-placeholder`), so a
 * language switch updates them in place without rebuilding the conversation.
 */

import type { Strings } from "./i18n";

type Child = Node | string | null | undefined | false;
export type StringKey = Exclude<keyof Strings, "dir">;

export interface ElementOptions {
  className?: string;
  attrs?: Record<string, string | undefined>;
  text?: string;
  /** The interface string shown as the element's text. */
  i18n?: StringKey;
  /** The interface string used as the element's aria-label. */
  label?: StringKey;
  placeholder?: StringKey;
  alt?: StringKey;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  if (options.text !== undefined) element.textContent = options.text;
  if (options.i18n) element.dataset.i18n = options.i18n;
  if (options.label) element.dataset.i18nAriaLabel = options.label;
  if (options.placeholder) element.dataset.i18nPlaceholder = options.placeholder;
  if (options.alt) element.dataset.i18nAlt = options.alt;
  for (const child of children) {
    if (child) element.append(child);
  }
  return element;
}

/** Text only a screen reader reads, in the interface language. */
export function srOnly(key: StringKey): HTMLSpanElement {
  return h("span", { className: "sr-only", i18n: key });
}

const ATTRIBUTES = [
  ["aria-label", "i18nAriaLabel"],
  ["placeholder", "i18nPlaceholder"],
  ["alt", "i18nAlt"],
] as const;

/** Sets every labelled element under `root` to the strings of the language. */
export function applyStrings(root: ParentNode, strings: Strings): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    element.textContent = strings[element.dataset.i18n as StringKey];
  }
  for (const [attribute, key] of ATTRIBUTES) {
    for (const element of root.querySelectorAll<HTMLElement>(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, strings[element.dataset[key] as StringKey]);
    }
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** A decorative icon (hidden from assistive technology) from one SVG path. */
export function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("icon");
  const shape = document.createElementNS(SVG, "path");
  shape.setAttribute("d", path);
  svg.append(shape);
  return svg;
}
