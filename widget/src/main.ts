/** Entry point: reads the script tag's configuration and mounts one widget on the page. */

import { readConfig } from "./config";
import { ChatWidget } from "./widget";

const HOST_ID = "mre-chat-widget";
// Only available while the script first runs (classic scripts, including `defer`).
const script = document.currentScript as HTMLScriptElement | null;

function mount(): void {
  if (document.getElementById(HOST_ID)) return; // embedded twice: keep the first
  const config = readConfig(script, window.location, navigator.languages ?? [navigator.language]);
  const host = document.createElement("div");
  host.id = HOST_ID;
  document.body.append(host);
  new ChatWidget(host.attachShadow({ mode: "open" }), config).mount();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mount, { once: true });
} else {
  mount();
}
