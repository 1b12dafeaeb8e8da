// Staff console, case page: shows the live conversation (polled every 2 s), opened at the
// newest message; messages arriving while the adviser reads older ones get a "new messages"
// marker and a button to jump to them. Shows whether the investor is connected, and sends
// replies without reloading. Without JavaScript the forms still work (server-side).
// Message HTML comes from the server's rich-text renderer (escaped, then bold/lists/links).
(function () {
  "use strict";
  var grid = document.querySelector(".case-grid");
  if (!grid) return;
  var reference = grid.getAttribute("data-reference");
  var i18n = JSON.parse(document.getElementById("i18n").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var list = document.getElementById("messages");
  var state = document.getElementById("live-state");
  var jump = document.getElementById("jump-new");
  var shown = -1;
  var firstRender = true;
  var unseenFrom = null; // index of the first message that arrived out of view

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function toBottom() {
    list.scrollTop = list.scrollHeight;
    unseenFrom = null;
    jump.hidden = true;
  }

  function resendForm(m) {
    var resend = document.createElement("form");
    resend.method = "post";
    resend.className = "resend";
    resend.action = "/staff/cases/" + encodeURIComponent(reference) + "/resend";
    [["csrf", csrf], ["message_id", String(m.id)]].forEach(function (field) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      resend.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = i18n.resend;
    resend.appendChild(button);
    return resend;
  }

  function renderReplies(replies) {
    var box = document.getElementById("staff-replies");
    if (!box || !replies) return;
    var canResend = !!document.getElementById("reply-form");
    var signature = JSON.stringify(replies.map(function (m) { return [m.id, m.delivery, m.attempts]; }));
    if (box.getAttribute("data-signature") === signature) return; // keep a focused "resend" button
    box.setAttribute("data-signature", signature);
    box.textContent = "";
    replies.forEach(function (m) {
      var item = document.createElement("li");
      item.setAttribute("dir", "auto");
      item.setAttribute("data-reply-id", String(m.id));
      item.setAttribute("data-delivery", m.delivery);
      var who = document.createElement("strong");
      who.textContent = m.author || "";
      var delivery = document.createElement("span");
      delivery.className = "delivery muted" + (m.delivery === "delivery_failed" ? " error" : "");
      // the number of tries of a retrying reply, isolated (delivery_label in delivery_labels.py, strings in delivery_strings.yml)
      var label = (i18n[m.delivery] || m.status).replace("{tries}", "\u2068" + (m.attempts || 0) + "\u2069");
      delivery.textContent = " (" + label + ")";
      item.appendChild(who);
      item.appendChild(document.createTextNode(" — " + m.text));
      item.appendChild(delivery);
      if (m.delivery === "delivery_failed" && canResend) item.appendChild(resendForm(m));
      box.appendChild(item);
    });
  }

  function renderPresence(activity) {
    if (!activity) return;
    var presence = document.getElementById("presence-state");
    if (presence) {
      presence.className = "presence " + (activity.connected ? "online" : "offline");
      presence.textContent = activity.connected ? "● " + i18n.presence_connected : i18n.presence_offline;
    }
    var windowState = document.getElementById("presence-window");
    if (windowState && activity.whatsapp_window_open !== null) {
      windowState.className = "presence " + (activity.whatsapp_window_open ? "online" : "closed");
      windowState.textContent = activity.whatsapp_window_open ? i18n.wa_window_open : i18n.wa_window_closed;
    }
    var seen = document.getElementById("presence-seen");
    if (seen && presence) seen.hidden = !!activity.connected;
    var offline = document.getElementById("reply-offline");
    if (offline) offline.hidden = !!activity.connected;
  }

  // the notice after a reply, by its delivery label (assistant/service/delivery_labels.py)
  var FLASH = {
    delivery_read: "reply_delivered", delivery_delivered: "reply_delivered", delivery_sent: "reply_sent",
    delivery_template: "reply_template", delivery_stored: "reply_stored", delivery_cannot_push: "delivery_cannot_push",
    delivery_failed: "reply_failed", delivery_retrying: "reply_retrying"
  };
  var WHO = { investor: "from_investor", staff: "from_staff", notice: "from_assistant", assistant: "from_assistant" };

  function render(data) {
    renderReplies(data.staff_messages);
    renderPresence(data.activity);
    state.textContent = data.source === "snapshot" ? i18n.snapshot_note
      : i18n.updated_live + (data.paused ? " · " + i18n.paused : "");
    var messages = data.messages || [];
    if (messages.length === shown) return;
    var wasAtBottom = atBottom();
    var keep = list.scrollTop;
    if (!firstRender && !wasAtBottom && shown >= 0 && messages.length > shown && unseenFrom === null) {
      unseenFrom = shown;
    }
    list.textContent = "";
    messages.forEach(function (m, index) {
      if (index === unseenFrom) {
        var marker = document.createElement("li");
        marker.className = "new-marker";
        marker.setAttribute("role", "separator");
        marker.textContent = i18n.new_messages;
        list.appendChild(marker);
      }
      var item = document.createElement("li");
      item.className = "msg " + (m.from in WHO ? m.from : "assistant");
      item.setAttribute("dir", "auto");
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = i18n[WHO[m.from] || "from_assistant"];
      var text = document.createElement("div");
      text.className = "text";
      text.innerHTML = m.html; // built by the server from escaped text
      item.appendChild(who);
      item.appendChild(text);
      list.appendChild(item);
    });
    shown = messages.length;
    if (firstRender || wasAtBottom) {
      toBottom();
    } else {
      list.scrollTop = keep;
      jump.hidden = unseenFrom === null;
    }
    firstRender = false;
  }

  list.scrollTop = list.scrollHeight; // the server-rendered copy, before the first poll
  list.addEventListener("scroll", function () {
    if (atBottom() && unseenFrom !== null) jump.hidden = true;
  });
  jump.addEventListener("click", function () {
    var marker = list.querySelector(".new-marker");
    if (marker) list.scrollTop = marker.offsetTop - list.offsetTop - 8;
    else toBottom();
    jump.hidden = true;
    list.focus();
  });

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
        if (!res.ok) {
          var code = res.body.error && res.body.error.code;
          status.textContent = code === "conversation_closed" ? i18n.error_reply_closed
            : ((res.body.error && res.body.error.message) || i18n.server_error_text);
          return;
        }
        textarea.value = "";
        status.textContent = i18n[FLASH[res.body.delivery] || "reply_queued"];
        shown = -1;
        firstRender = true; // one's own reply: show it
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
