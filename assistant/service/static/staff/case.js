// Staff console, case page: shows the live conversation (polled every 2 s) and sends
// replies without reloading. Without JavaScript the forms still work (server-side).
(function () {
  "use strict";
  var grid = document.querySelector(".case-grid");
  if (!grid) return;
  var reference = grid.getAttribute("data-reference");
  var i18n = JSON.parse(document.getElementById("i18n").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var list = document.getElementById("messages");
  var state = document.getElementById("live-state");
  var shown = -1;

  function renderReplies(replies) {
    var list = document.getElementById("staff-replies");
    if (!list || !replies) return;
    list.textContent = "";
    replies.forEach(function (m) {
      var item = document.createElement("li");
      item.setAttribute("dir", "auto");
      var who = document.createElement("strong");
      who.textContent = m.author || "";
      var state = document.createElement("span");
      state.className = "muted";
      state.textContent = " (" + (m.delivery_note === "whatsapp_template" ? i18n.delivery_template
        : (m.status === "delivered" ? i18n.delivery_delivered : i18n.delivery_pending)) + ")";
      item.appendChild(who);
      item.appendChild(document.createTextNode(" — " + m.text));
      item.appendChild(state);
      list.appendChild(item);
    });
  }

  function render(data) {
    renderReplies(data.staff_messages);
    var messages = data.messages || [];
    if (messages.length === shown) return;
    var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.textContent = "";
    messages.forEach(function (m) {
      var item = document.createElement("li");
      item.className = "msg " + (m.from === "investor" ? "investor" : (m.text.indexOf("👤") === 0 ? "staff" : "assistant"));
      item.setAttribute("dir", "auto");
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = m.from === "investor" ? i18n.from_investor : i18n.from_assistant;
      item.appendChild(who);
      item.appendChild(document.createTextNode(m.text));
      list.appendChild(item);
    });
    shown = messages.length;
    if (atBottom) list.scrollTop = list.scrollHeight;
    state.textContent = data.source === "snapshot" ? i18n.snapshot_note
      : i18n.updated_live + (data.paused ? " · " + i18n.paused : "");
  }

  function poll() {
    fetch("/api/cases/" + encodeURIComponent(reference) + "/conversation", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () { /* keep the last view; next tick retries */ })
      .finally(function () { setTimeout(poll, 2000); });
  }
  poll();

  var form = document.getElementById("reply-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var textarea = document.getElementById("reply-text");
      var status = document.getElementById("reply-status");
      var text = textarea.value.trim();
      if (!text) return;
      fetch("/api/cases/" + encodeURIComponent(reference) + "/reply", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text: text })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) { status.textContent = (res.body.error && res.body.error.message) || i18n.server_error_text; return; }
        textarea.value = "";
        status.textContent = !res.body.delivered ? i18n.reply_queued
          : (res.body.delivery_note === "whatsapp_template" ? i18n.reply_template : i18n.reply_sent);
        shown = -1;
      }).catch(function () { status.textContent = i18n.server_error_text; });
    });
  }

  var erase = document.getElementById("erase-form");
  if (erase) {
    erase.addEventListener("submit", function (event) {
      if (!window.confirm(erase.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
})();
