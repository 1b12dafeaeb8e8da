/**
 * The widget is configured by the attributes of its own script tag:
 *
 *   <script src="https://service.example/static/dist/widget.js" defer
 *           data-socket-url="https://rasa.example" data-language="fr"></script>
 *
 * data-socket-url   Rasa's base URL (socketio channel); default: this page's protocol and host, port 5005
 * data-socket-path  socket.io path (credentials.yml `socketio_path`); default /socket.io
 * data-language     interface language before the visitor picks one: fr, ar or en; default: the
 *                   browser's language when supported, else fr
 * data-storage-key  prefix of the localStorage keys; default "mre-chat:"
 * data-css-url      the widget's stylesheet; default widget.css next to widget.js
 */

import { type Language, pickLanguage } from "./i18n";

export interface WidgetConfig {
  socketUrl: string;
  socketPath: string;
  language: Language;
  storagePrefix: string;
  cssUrl: string;
}

export const RASA_DEFAULT_PORT = 5005;

function httpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return ["http:", "https:", "ws:", "wss:"].includes(url.protocol) ? url.href.replace(/\/$/, "") : null;
  } catch {
    return null;
  }
}

export function readConfig(
  script: HTMLScriptElement | null,
  location: Location,
  navigatorLanguages: readonly string[],
): WidgetConfig {
  const data = script?.dataset ?? {};
  const scriptUrl = script?.src || location.href;
  const defaultSocket = `${location.protocol}//${location.hostname}:${RASA_DEFAULT_PORT}`;
  const socketUrl = httpUrl(data.socketUrl, location.href);
  if (data.socketUrl && !socketUrl) console.warn(`chat widget: ignoring data-socket-url ${data.socketUrl}`);
  return {
    socketUrl: socketUrl ?? defaultSocket,
    socketPath: data.socketPath?.startsWith("/") ? data.socketPath : "/socket.io",
    language: pickLanguage([data.language, ...navigatorLanguages], "fr"),
    storagePrefix: data.storageKey || "mre-chat:",
    cssUrl: httpUrl(data.cssUrl, location.href) ?? new URL("widget.css", scriptUrl).href,
  };
}
