// sandbox.js draws the sandbox page from GET /sandbox/api/state (long-
// polled) and turns clicks and typing into the POSTs of the sandbox API
// (cmd/switchboard/sandbox/api.go). The page keeps no state of its own
// beyond what the person chose (customer, actor, channel, open thread):
// everything shown comes from the latest state, so a reload loses nothing.
//
// Untrusted text (customers', agents', switchboard's) only reaches the
// DOM as textContent, or as the output of Mrkdwn (which escapes it).
"use strict";

(function () {
  const M = window.Mrkdwn;
  const $ = (id) => document.getElementById(id);

  let state = null;
  let version = 0;
  const ui = {
    customer: "", // wa_id shown on the phone
    actor: "", // Slack user id the person acts as
    channel: "", // channel id shown in the middle
    thread: "", // ts of the thread open in the side pane ("" = closed)
    pending: [], // customers added on the page who have not written yet
    viewed: {}, // wa_id → newest business message id reported as viewed
    step: "", // id of the guided step chosen last
    place: null, // the place of a guided location step, for 📍 Location
  };
  const users = {}; // id → name, for mentions
  const channels = {}; // id → name

  const { el, plain, viewValues } = BlockKit;

  // ---- talking to the sandbox ----------------------------------------

  function toast(message) {
    const t = $("toast");
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  async function api(path, body) {
    const r = await fetch("/sandbox/api/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await r.json(); } catch (_) { /* an empty body */ }
    if (!r.ok) {
      const message = (data && data.error) || r.status + " " + r.statusText;
      toast(message);
      throw new Error(message);
    }
    return data;
  }

  // act is api for clicks that need no answer: a refusal shows as the
  // toast, and nothing else is to be done.
  function act(path, body) {
    api(path, body).catch(() => {});
  }

  // poll long-polls the state: the sandbox answers at once when something
  // changed since `version`, or after about 20 s with the same version.
  async function poll() {
    for (;;) {
      try {
        const r = await fetch("/sandbox/api/state?after=" + version, { cache: "no-store" });
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        const s = await r.json();
        setConnected(true);
        if (!state || s.version !== version) {
          state = s;
          version = s.version;
          render();
        }
      } catch (err) {
        setConnected(false, err);
        await new Promise((resolve) => setTimeout(resolve, 1500)); // retry pace, not synchronisation
      }
    }
  }

  function setConnected(ok, err) {
    const c = $("conn");
    c.textContent = ok ? "● live" : "● reconnecting…";
    c.className = "conn " + (ok ? "ok" : "down");
    c.title = ok ? "Live updates" : "Cannot reach the sandbox: " + (err && err.message);
  }

  // ---- formatting helpers --------------------------------------------

  function slackTime(ts) {
    const d = new Date(Number(String(ts).split(".")[0]) * 1000);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function clock(at) {
    const d = new Date(at);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function initials(name) {
    const parts = String(name || "?").trim().split(/\s+/);
    return (parts[0][0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
  }

  function hue(s) {
    let h = 0;
    for (const ch of String(s)) h = (h * 31 + ch.codePointAt(0)) % 360;
    return h;
  }

  // Slack reaction names → emoji, for the names switchboard and people use.
  const EMOJI = {
    outbox_tray: "📤", ballot_box_with_check: "☑️", eye: "👁️", eyes: "👀", x: "❌", memo: "📝",
    "+1": "👍", "-1": "👎", thumbsup: "👍", heart: "❤️", joy: "😂", open_mouth: "😮", cry: "😢",
    pray: "🙏", white_check_mark: "✅", heavy_check_mark: "✔️", tada: "🎉", fire: "🔥", warning: "⚠️",
    raised_hands: "🙌", clap: "👏", wave: "👋", ok_hand: "👌", smile: "😄", slightly_smiling_face: "🙂",
    thinking_face: "🤔", rocket: "🚀", star: "⭐", hourglass_flowing_sand: "⏳", speech_balloon: "💬",
    rotating_light: "🚨", bell: "🔔", lock: "🔒", package: "📦", moneybag: "💰", handshake: "🤝",
  };
  const PICKER = ["+1", "heart", "white_check_mark", "eyes", "tada", "pray"];

  function emoji(name) {
    const base = String(name).split("::")[0];
    return EMOJI[base] || ":" + base + ":";
  }

  const slack = (text) => M.slack(text, users, channels);

  // ---- the top bar and pickers ---------------------------------------

  function fillSelect(select, items, value) {
    // Rebuilding the options only when they change keeps an open select
    // usable while updates arrive.
    const key = JSON.stringify(items);
    if (select.dataset.key !== key) {
      select.replaceChildren(...items.map((it) => it.group
        ? el("optgroup", { label: it.group }, it.items.map((o) => el("option", { value: o.value, text: o.label })))
        : el("option", { value: it.value, text: it.label })));
      select.dataset.key = key;
    }
    select.value = value;
  }

  function customersAll() {
    const known = state.customers || [];
    const pending = ui.pending.filter((p) => !known.some((c) => c.wa_id === p.wa_id));
    return known.concat(pending);
  }

  function currentCustomer() {
    return customersAll().find((c) => c.wa_id === ui.customer);
  }

  function actorUser() {
    return (state.workspace.users || []).find((u) => u.id === ui.actor);
  }

  function channelOf(id) {
    return (state.workspace.channels || []).find((c) => c.id === id);
  }

  function isMember(user, channel) {
    return !!(user && channel && (user.teams || []).includes(channel.team));
  }

  function renderTop() {
    $("sandbox-label").textContent = state.label || "SANDBOX";
    const b = state.business || {};
    $("business").textContent = [b.name, b.phone].filter(Boolean).join(" · ");
    const ws = state.workspace;
    for (const u of ws.users || []) users[u.id] = u.name;
    for (const c of ws.channels || []) channels[c.id] = c.name;

    const people = ws.users || [];
    if (!people.some((u) => u.id === ui.actor) && people.length) ui.actor = people[0].id;
    const label = (u) => u.name + (u.teams && u.teams.length ? " — " + u.teams.join(", ") : "");
    const groups = [];
    for (const [role, title] of [["agent", "Agents"], ["supervisor", "Supervisors"]]) {
      const of = people.filter((u) => u.role === role);
      if (of.length) groups.push({ group: title, items: of.map((u) => ({ value: u.id, label: label(u) })) });
    }
    const others = people.filter((u) => u.role !== "agent" && u.role !== "supervisor");
    if (others.length) groups.push({ group: "Others", items: others.map((u) => ({ value: u.id, label: label(u) })) });
    fillSelect($("actor"), groups, ui.actor);

    const all = customersAll();
    if (!all.some((c) => c.wa_id === ui.customer) && all.length) ui.customer = all[0].wa_id;
    fillSelect($("customer"), all.map((c) => ({ value: c.wa_id, label: c.name + " (+" + c.wa_id + ")" })), ui.customer);

    const chans = ws.channels || [];
    if (!chans.some((c) => c.id === ui.channel)) {
      const mine = chans.find((c) => isMember(actorUser(), c));
      ui.channel = (mine || chans[0] || {}).id || "";
    }
  }

  // unchanged reports whether node already shows what key describes, and
  // remembers key otherwise. Lists are redrawn only when what they show
  // changed, so an update elsewhere (a receipt on the phone, a reaction in
  // another channel) never replaces a button under the mouse.
  const drawn = new WeakMap();
  function unchanged(node, ...what) {
    const key = JSON.stringify(what);
    if (drawn.get(node) === key) return true;
    drawn.set(node, key);
    return false;
  }

  // ---- the phone -----------------------------------------------------

  const TICKS = { pending: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "❗" };

  function renderPhone() {
    const b = state.business || {};
    $("wa-business").textContent = b.name || "Business";
    $("wa-sub").textContent = b.phone ? b.phone + " · business account" : "business account";
    const chat = $("wa-chat");
    const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
    const c = currentCustomer();
    const msgs = (c && c.messages) || [];
    if (unchanged(chat, ui.customer, c && c.name, msgs)) { reportViewed(); return; }

    // A reaction is shown on the message it is about; an empty one
    // removes the reaction of its side.
    const reactions = {};
    for (const m of msgs) {
      if (m.kind !== "reaction") continue;
      const on = (reactions[m.quoted_id] = reactions[m.quoted_id] || {});
      if (m.text) on[m.from] = m.text; else delete on[m.from];
    }
    const byID = Object.fromEntries(msgs.map((m) => [m.id, m]));

    const nodes = [];
    if (!msgs.length) {
      nodes.push(el("div", { class: "wa-empty", text: c ? "Write as " + c.name + " to start a conversation." : "Add a customer to start." }));
    }
    let day = "";
    for (const m of msgs) {
      if (m.kind === "reaction") continue;
      const d = new Date(m.at).toLocaleDateString();
      if (d !== day) { day = d; nodes.push(el("div", { class: "wa-day", text: d })); }
      nodes.push(phoneBubble(m, byID, reactions[m.id]));
    }
    chat.replaceChildren(...nodes);
    if (atBottom || chat.dataset.customer !== ui.customer) stickToBottom(chat);
    chat.dataset.customer = ui.customer;
    reportViewed();
  }

  function phoneBubble(m, byID, reacted) {
    const mine = m.from === "customer"; // the phone belongs to the customer
    const bubble = el("div", {
      class: "wa-msg " + (mine ? "out" : "in"),
      "data-id": m.id, "data-from": m.from, "data-kind": m.kind, "data-status": m.status || null,
      "data-receipts": m.receipts ? m.receipts.map((r) => r.status).join(" ") : null,
    });
    const quoted = m.quoted_id && byID[m.quoted_id];
    if (quoted) {
      bubble.append(el("div", { class: "wa-quote" },
        el("div", { class: "wa-quote-who", text: quoted.from === "customer" ? "You" : (state.business.name || "Business") }),
        el("div", { text: quoted.text || quoted.caption || quoted.kind })));
    }
    switch (m.kind) {
      case "image":
      case "sticker":
        if (/^\/sandbox\/media\//.test(m.media_url || "")) bubble.append(el("img", { class: "wa-img", src: m.media_url, alt: m.caption || "picture" }));
        else bubble.append(el("div", { class: "wa-file", text: "🖼️ picture" }));
        if (m.caption) bubble.append(el("div", { class: "wa-text", html: M.whatsapp(m.caption) }));
        break;
      case "video":
      case "audio":
      case "document": {
        const icon = { video: "🎬", audio: "🎤", document: "📄" }[m.kind];
        const name = m.filename || m.kind;
        bubble.append(/^\/sandbox\/media\//.test(m.media_url || "")
          ? el("a", { class: "wa-file", href: m.media_url, target: "_blank", text: icon + " " + name })
          : el("div", { class: "wa-file", text: icon + " " + name }));
        if (m.caption) bubble.append(el("div", { class: "wa-text", html: M.whatsapp(m.caption) }));
        break;
      }
      case "location":
        bubble.append(el("div", { class: "wa-location" },
          el("div", { class: "wa-map", text: "📍" }),
          el("div", { text: m.text || "Location" }),
          el("div", { class: "wa-coords", text: Number(m.latitude).toFixed(4) + ", " + Number(m.longitude).toFixed(4) })));
        break;
      case "button":
        bubble.append(el("div", { class: "wa-text wa-pressed", text: "↩ " + (m.text || "") }));
        break;
      case "template":
        bubble.append(el("div", { class: "wa-template", text: "Template " + (m.template || "") }));
        bubble.append(el("div", { class: "wa-text", html: M.whatsapp(m.text || "") }));
        break;
      default:
        bubble.append(el("div", { class: "wa-text", html: M.whatsapp(m.text || m.caption || "") }));
    }
    if (m.buttons && m.buttons.length) {
      bubble.append(el("div", { class: "wa-buttons" }, m.buttons.map((btn) => el("button", {
        type: "button", class: "wa-button", "data-button-id": btn.id, text: btn.title,
        onclick: () => sendCustomer({ kind: "button", payload: btn.id, text: btn.title, quoted_id: m.id }).catch(() => {}),
      }))));
    }
    const meta = el("div", { class: "wa-meta" }, el("span", { text: clock(m.at) }));
    if (!mine) {
      // No status yet: WhatsApp's clock, the message is on its way.
      const status = m.status || "pending";
      const info = (m.receipts || []).map((r) => r.status + " " + clock(r.at)).join(" · ");
      meta.append(el("span", { class: "ticks " + status, "data-status": status, title: info || status, text: TICKS[status] || "" }));
    } else {
      // The customer's own ticks: delivered once the business's number
      // took it, blue once switchboard marked it read.
      const status = m.status === "read" ? "read" : "delivered";
      meta.append(el("span", { class: "ticks " + status, "data-status": status, title: status === "read" ? "read by the business" : "delivered", text: TICKS[status] }));
    }
    bubble.append(meta);
    if (reacted && Object.keys(reacted).length) {
      bubble.append(el("div", { class: "wa-reactions", text: Object.values(reacted).join(" ") }));
    }
    return bubble;
  }

  // reportViewed tells the sandbox the customer looks at the chat (so the
  // business's messages get read receipts) while "Chat open" is on and the
  // page is visible. Only delivered messages are reported, as a phone
  // would: a message is read after it reached the phone.
  function reportViewed() {
    if (!$("wa-open").checked || document.visibilityState !== "visible") return;
    const c = currentCustomer();
    if (!c || !c.messages) return;
    const unread = c.messages.filter((m) => m.from === "business" && m.status === "delivered");
    if (!unread.length) return;
    const newest = unread[unread.length - 1].id;
    if (ui.viewed[c.wa_id] === newest) return;
    ui.viewed[c.wa_id] = newest;
    api("customer/view", { wa_id: c.wa_id }).catch(() => { delete ui.viewed[c.wa_id]; });
  }

  const PLACES = {
    es: { name: "Puerta del Sol, Madrid", latitude: 40.4169, longitude: -3.7035 },
    pt: { name: "Avenida Paulista, São Paulo", latitude: -23.5614, longitude: -46.6559 },
    en: { name: "Trafalgar Square, London", latitude: 51.508, longitude: -0.1281 },
  };

  function sendCustomer(fields) {
    const c = currentCustomer();
    if (!c) { toast("Add a customer first (+ New)."); return Promise.resolve(); }
    const body = Object.assign({ wa_id: c.wa_id }, fields);
    if (!(state.customers || []).some((k) => k.wa_id === c.wa_id)) {
      body.name = c.name;
      body.language = c.language;
    }
    return api("customer/send", body);
  }

  // ---- the Slack workspace -------------------------------------------

  function visible(m) {
    return !m.ephemeral_to || m.ephemeral_to === ui.actor;
  }

  function isTop(m) {
    return !m.thread_ts || m.thread_ts === m.ts;
  }

  function renderChannels() {
    const ws = state.workspace;
    $("ws-name").textContent = ws.name || "Workspace";
    const me = actorUser();
    $("ws-you").textContent = me ? "You are " + me.name + " (" + me.role + ")" : "";
    const counts = (ws.channels || []).map((c) => (ws.messages || []).filter((m) => m.channel === c.id && isTop(m) && !m.ephemeral_to).length);
    if (unchanged($("channels"), ui.channel, ui.actor, ws.channels, counts)) return;
    const items = (ws.channels || []).map((c, i) => {
      const count = counts[i];
      return el("li", {
        class: (c.id === ui.channel ? "current " : "") + (isMember(me, c) ? "member" : ""),
        "data-channel": c.id, "data-team": c.team,
        title: isMember(me, c) ? "You are a member" : "You are not a member of this team",
        onclick: () => { ui.channel = c.id; ui.thread = ""; render(); },
      }, el("span", { text: "# " + c.name }), count ? el("span", { class: "count", text: count }) : null);
    });
    $("channels").replaceChildren(...items);
  }

  function renderChannel() {
    const ws = state.workspace;
    const ch = channelOf(ui.channel);
    const members = (ws.users || []).filter((u) => ch && isMember(u, ch)).map((u) => u.name);
    $("ch-header").replaceChildren(
      el("span", { class: "ch-name", text: ch ? "# " + ch.name : "No channel" }),
      ch ? el("span", { class: "ch-team", text: "team " + ch.team + (members.length ? " · " + members.join(", ") : "") }) : null);
    const list = $("ch-messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const all = (ws.messages || []).filter((m) => m.channel === ui.channel && visible(m));
    if (unchanged(list, ui.channel, ui.actor, all, ws.users)) return;
    const top = all.filter(isTop);
    const nodes = top.map((m) => slackMessage(m, all.filter((r) => !isTop(r) && r.thread_ts === m.ts), false));
    if (!nodes.length) nodes.push(el("div", { class: "empty", text: "Nothing here yet. Write as a customer on the phone: the conversation opens a thread here." }));
    list.replaceChildren(...nodes);
    if (atBottom || list.dataset.channel !== ui.channel) stickToBottom(list);
    list.dataset.channel = ui.channel;
  }

  function renderThread() {
    const pane = $("thread");
    const ws = state.workspace;
    const parent = ui.thread && (ws.messages || []).find((m) => m.channel === ui.channel && m.ts === ui.thread);
    if (!parent) { pane.hidden = true; ui.thread = ""; document.body.classList.remove("with-thread"); return; }
    pane.hidden = false;
    document.body.classList.add("with-thread");
    pane.dataset.threadTs = parent.ts;
    $("th-channel").textContent = "# " + (channels[parent.channel] || parent.channel);
    const list = $("th-messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const replies = (ws.messages || []).filter((m) => m.channel === ui.channel && m.thread_ts === parent.ts && m.ts !== parent.ts && visible(m));
    if (unchanged(list, ui.actor, parent, replies, ws.users)) return;
    list.replaceChildren(slackMessage(parent, [], true),
      el("div", { class: "th-count", text: replies.length + (replies.length === 1 ? " reply" : " replies") }),
      ...replies.map((m) => slackMessage(m, [], true)));
    if (atBottom || list.dataset.thread !== parent.ts) stickToBottom(list);
    list.dataset.thread = parent.ts;
  }

  // stickToBottom scrolls a list to its end, again as its pictures load
  // (they grow the list after the first scroll).
  function stickToBottom(list) {
    list.scrollTop = list.scrollHeight;
    for (const img of list.querySelectorAll("img")) {
      if (!img.complete) img.addEventListener("load", () => { list.scrollTop = list.scrollHeight; }, { once: true });
    }
  }

  function openThread(ts) {
    ui.thread = ts;
    render();
    $("th-text").focus();
  }

  function authorName(m) {
    if (m.bot) return m.username || "switchboard";
    return users[m.user] || m.user || "someone";
  }

  function slackMessage(m, replies, inThread) {
    const name = authorName(m);
    const node = el("div", {
      class: "msg" + (m.ephemeral_to ? " ephemeral" : "") + (m.deleted ? " deleted" : "") + (m.bot ? " bot" : ""),
      "data-ts": m.ts, "data-channel": m.channel, "data-user": m.user, "data-thread-ts": m.thread_ts || null,
    });
    node.append(el("div", { class: "avatar", style: "background:hsl(" + hue(name) + ",45%,45%)", text: m.bot && !m.username ? "⚡" : initials(name) }));
    const body = el("div", { class: "msg-body" });
    const head = el("div", { class: "msg-head" }, el("span", { class: "author", text: name }));
    if (m.bot) head.append(el("span", { class: "app-tag", text: "APP" }));
    head.append(el("span", { class: "time", text: slackTime(m.ts) }));
    body.append(head);
    if (m.ephemeral_to) body.append(el("div", { class: "only-you", text: "👁 Only visible to you" }));

    if (m.deleted) {
      body.append(el("div", { class: "text muted", text: "This message was deleted." }));
    } else {
      const blocks = Array.isArray(m.blocks) ? m.blocks : [];
      const drawn = blocks.filter((b) => b && b.type !== "rich_text");
      if (drawn.length) {
        body.append(BlockKit.render(drawn, blockContext({
          click: (blockID, actionID, value) => api("agent/click", {
            user: ui.actor, channel: m.channel, message_ts: m.ts, ephemeral: !!m.ephemeral_to,
            block_id: blockID, action_id: actionID, value: value,
          }),
        })));
      } else {
        body.append(el("div", { class: "text", html: slack(m.text) }));
      }
      if (m.edited) body.append(el("span", { class: "edited", text: "(edited)" }));
    }
    for (const f of m.files || []) {
      const url = /^\/sandbox\/media\//.test(f.url || "") ? f.url : "";
      if (url && /^image\//.test(f.mimetype || "")) body.append(el("img", { class: "file-img", src: url, alt: f.name || "picture" }));
      else body.append(el(url ? "a" : "span", { class: "file", href: url || null, target: url ? "_blank" : null, text: "📎 " + (f.name || "file") }));
    }
    if (m.reactions && m.reactions.length) {
      body.append(el("div", { class: "reactions" }, m.reactions.map((r) => {
        const mine = (r.users || []).includes(ui.actor);
        return el("button", {
          type: "button", class: "reaction" + (mine ? " mine" : ""), "data-name": r.name,
          title: ":" + r.name + ": " + (r.users || []).map((u) => users[u] || u).join(", "),
          onclick: () => act("agent/react", { user: ui.actor, channel: m.channel, ts: m.ts, name: r.name, added: !mine }),
        }, emoji(r.name) + " " + (r.count || (r.users || []).length));
      })));
    }
    if (!inThread && replies.length) {
      const names = [...new Set(replies.map(authorName))].slice(0, 3).join(", ");
      body.append(el("button", {
        type: "button", class: "replies", "data-thread": m.ts, onclick: () => openThread(m.ts),
      }, replies.length + (replies.length === 1 ? " reply" : " replies"), el("span", { class: "muted", text: " · " + names })));
    }
    node.append(body);

    if (!m.deleted && !m.ephemeral_to) {
      const tools = el("div", { class: "msg-tools" });
      tools.append(el("button", { type: "button", title: "Add reaction", "aria-label": "Add reaction", text: "☺", onclick: (e) => openMenu(e, reactMenu(m)) }));
      if (!inThread) tools.append(el("button", { type: "button", class: "reply-in-thread", title: "Reply in thread", "aria-label": "Reply in thread", text: "💬", onclick: () => openThread(m.ts) }));
      tools.append(el("button", { type: "button", class: "more", title: "More actions", "aria-label": "More actions", text: "⋯", onclick: (e) => openMenu(e, shortcutMenu(m)) }));
      node.append(tools);
    }
    return node;
  }

  // blockContext completes what BlockKit needs to draw blocks: how to
  // render mrkdwn and whom and which channels selects offer.
  function blockContext(ctx) {
    return Object.assign({ mrkdwn: slack, users: state.workspace.users, channels: state.workspace.channels }, ctx);
  }

  // ---- floating menus (reactions, shortcuts) ---------------------------

  function openMenu(event, items) {
    event.stopPropagation();
    closeMenu();
    const r = event.currentTarget.getBoundingClientRect();
    const menu = el("div", { class: "menu", id: "menu", role: "menu" }, items);
    document.body.append(menu);
    const w = menu.offsetWidth;
    menu.style.top = Math.min(r.bottom + 4, window.innerHeight - menu.offsetHeight - 8) + "px";
    menu.style.left = Math.max(8, Math.min(r.right - w, window.innerWidth - w - 8)) + "px";
  }

  function closeMenu() {
    const m = $("menu");
    if (m) m.remove();
  }

  function reactMenu(m) {
    return el("div", { class: "menu-emoji" }, PICKER.map((name) => el("button", {
      type: "button", "data-name": name, title: ":" + name + ":", text: emoji(name),
      onclick: () => { closeMenu(); act("agent/react", { user: ui.actor, channel: m.channel, ts: m.ts, name: name, added: true }); },
    })));
  }

  const SHORTCUTS = [
    ["sb_canned", "Canned response"],
    ["sb_template_shortcut", "Send template"],
    ["sb_quote_reply", "Reply to this message"],
  ];

  function shortcutMenu(m) {
    return [el("div", { class: "menu-title", text: "switchboard" })].concat(SHORTCUTS.map(([id, label]) => el("button", {
      type: "button", class: "menu-item", "data-callback-id": id, text: label,
      onclick: () => { closeMenu(); act("agent/shortcut", { user: ui.actor, channel: m.channel, message_ts: m.ts, callback_id: id }); },
    })));
  }

  // ---- modals --------------------------------------------------------

  function renderModal() {
    const layer = $("modal-layer");
    const mine = (state.workspace.views || []).filter((v) => v.user === ui.actor);
    const top = mine[mine.length - 1];
    if (!top) { layer.hidden = true; layer.replaceChildren(); layer.dataset.key = ""; return; }
    const key = top.id + ":" + JSON.stringify(top.view) + JSON.stringify(top.errors || {});
    if (layer.dataset.key === key) return; // unchanged: keep what is typed
    // Slack keeps what was typed in inputs whose block and action ids stay
    // the same when a view is updated; so do we.
    const old = layer.querySelector("form");
    const typed = old && old.dataset.viewId === top.id ? viewValues(old) : {};
    layer.dataset.key = key;

    const v = top.view || {};
    const form = el("form", { class: "modal", "data-view-id": top.id, "data-callback-id": v.callback_id || null });
    const error = el("div", { class: "modal-error", hidden: true });
    const ctx = blockContext({
      view: top.id,
      click: (blockID, actionID, value) => api("agent/click", {
        user: ui.actor, view_id: top.id, block_id: blockID, action_id: actionID, value: value, values: viewValues(form),
      }),
    });
    const close = () => api("agent/view/close", { user: ui.actor, view_id: top.id }).catch(() => {});
    form.append(
      el("div", { class: "modal-head" },
        el("span", { class: "modal-title", text: plain(v.title) || "switchboard" }),
        mine.length > 1 ? el("span", { class: "muted", text: " (" + (mine.length - 1) + " below)" }) : null,
        el("button", { type: "button", class: "icon", "aria-label": "Close", text: "✕", onclick: close })),
      el("div", { class: "modal-body" }, BlockKit.render(v.blocks || [], ctx), error),
      el("div", { class: "modal-foot" },
        el("button", { type: "button", class: "btn modal-close", text: plain(v.close) || (v.submit ? "Cancel" : "Close"), onclick: close }),
        v.submit ? el("button", { type: "submit", class: "btn primary modal-submit", text: plain(v.submit) }) : null));
    // Field errors switchboard answered the last submit with go under
    // their inputs, as Slack shows them.
    for (const [b, message] of Object.entries(top.errors || {})) {
      const field = form.querySelector('.blk-input[data-block-id="' + CSS.escape(b) + '"]');
      if (field) field.append(el("span", { class: "blk-error", text: message }));
      else { error.textContent = message; error.hidden = false; }
    }
    for (const [b, acts] of Object.entries(typed)) {
      for (const [a, value] of Object.entries(acts)) {
        const f = form.querySelector('.field[data-block-id="' + CSS.escape(b) + '"][data-action-id="' + CSS.escape(a) + '"]');
        if (f && f.value === "") f.value = value;
      }
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      error.hidden = true;
      api("agent/view", { user: ui.actor, view_id: top.id, values: viewValues(form) }).catch((err) => {
        error.textContent = err.message;
        error.hidden = false;
      });
    });
    layer.replaceChildren(form);
    layer.hidden = false;
    const first = form.querySelector(".field");
    if (first) first.focus();
  }

  // ---- the guided script ---------------------------------------------

  function renderScript() {
    const steps = state.script || [];
    if (unchanged($("script"), ui.step, steps)) return;
    $("script").replaceChildren(...steps.map((s, i) => el("li", {
      class: "step" + (s.id === ui.step ? " current" : ""), "data-step": s.id,
    },
    el("div", { class: "step-title" }, el("span", { class: "step-n", text: i + 1 }), el("span", { text: s.title })),
    s.hint ? el("div", { class: "step-hint", text: s.hint }) : null,
    el("button", { type: "button", class: "btn small", text: "Do it", onclick: () => doStep(s) }))));
  }

  // doStep becomes who the step names and puts its text where it is typed:
  // the phone for a customer; for a person, the open thread (or the
  // newest conversation thread of the step's channel), or the channel
  // composer for slash commands and when there is no thread.
  function doStep(s) {
    ui.step = s.id;
    const customer = customersAll().find((c) => c.wa_id === s.as);
    const person = (state.workspace.users || []).find((u) => u.id === s.as);
    if (customer || !person) {
      if (!customer && s.as) ui.pending.push({ wa_id: s.as, name: "Customer " + s.as.slice(-4), language: "es", messages: [] });
      if (s.as) ui.customer = s.as;
      render();
      if (s.text) $("wa-text").value = s.text;
      // A picture or a place is sent with its own button: point at it. A
      // place step brings its coordinates for that button.
      ui.place = s.kind === "location" && (s.latitude || s.longitude)
        ? { name: s.text, latitude: s.latitude, longitude: s.longitude } : null;
      const button = { image: "send-image", location: "send-location" }[s.kind] || "wa-send";
      flash(document.querySelector(".phone"));
      flash($(button));
      $("wa-text").focus();
      return;
    }
    ui.actor = person.id;
    if (s.channel) ui.channel = s.channel;
    else if (!isMember(person, channelOf(ui.channel))) ui.channel = "";
    render(); // picks the person's channel when none is set
    const text = s.text || "";
    if (text && !text.startsWith("/") && !ui.thread) {
      const tops = state.workspace.messages.filter((m) => m.channel === ui.channel && isTop(m) && m.bot && !m.ephemeral_to && Array.isArray(m.blocks) && m.blocks.length);
      if (tops.length) ui.thread = tops[tops.length - 1].ts;
      render();
    }
    const box = text && !text.startsWith("/") && ui.thread ? $("th-text") : $("ch-text");
    if (text) box.value = text;
    flash(document.querySelector(".slack"));
    box.focus();
  }

  function flash(node) {
    if (!node) return;
    node.classList.remove("flash");
    void node.offsetWidth; // restarts the CSS animation
    node.classList.add("flash");
  }

  // ---- wiring --------------------------------------------------------

  function render() {
    if (!state) return;
    renderTop();
    renderPhone();
    renderChannels();
    renderChannel();
    renderThread();
    renderModal();
    renderScript();
  }

  // sent empties a composer as its text goes, and gives the text back if
  // the sandbox refused it (unless something new was typed meanwhile).
  function sent(box, request) {
    const text = box.value;
    box.value = "";
    request.catch(() => { if (box.value === "") box.value = text; });
  }

  function submitOnEnter(textarea, form) {
    textarea.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
  }

  function wire() {
    $("actor").addEventListener("change", (e) => {
      ui.actor = e.target.value;
      if (!isMember(actorUser(), channelOf(ui.channel))) { ui.channel = ""; ui.thread = ""; }
      render();
    });
    $("customer").addEventListener("change", (e) => { ui.customer = e.target.value; render(); });
    $("wa-open").addEventListener("change", reportViewed);
    document.addEventListener("visibilitychange", reportViewed);

    $("add-customer").addEventListener("click", () => { $("new-customer").hidden = false; $("new-name").focus(); });
    $("new-cancel").addEventListener("click", () => { $("new-customer").hidden = true; });
    $("new-customer").addEventListener("submit", (e) => {
      e.preventDefault();
      const wa = $("new-wa").value.replace(/\D/g, "");
      const name = $("new-name").value.trim();
      if (!wa || !name) return;
      if (!customersAll().some((c) => c.wa_id === wa)) ui.pending.push({ wa_id: wa, name: name, language: $("new-lang").value, messages: [] });
      ui.customer = wa;
      $("new-customer").hidden = true;
      $("new-customer").reset();
      render();
      $("wa-text").focus();
    });

    $("wa-composer").addEventListener("submit", (e) => {
      e.preventDefault();
      const input = $("wa-text");
      const text = input.value.trim();
      if (!text) return;
      sent(input, sendCustomer({ kind: "text", text: text }));
    });
    // The photo is the sandbox's sample picture, captioned with what is
    // typed; the location is a sample place near the customer, named with
    // what is typed.
    $("send-image").addEventListener("click", () => {
      const caption = $("wa-text").value.trim();
      sent($("wa-text"), sendCustomer({ kind: "image", text: caption }));
    });
    $("send-location").addEventListener("click", () => {
      const c = currentCustomer();
      const place = ui.place || PLACES[(c && c.language) || "es"] || PLACES.es;
      ui.place = null;
      const name = $("wa-text").value.trim() || place.name;
      sent($("wa-text"), sendCustomer({ kind: "location", text: name, latitude: place.latitude, longitude: place.longitude }));
    });

    $("ch-composer").addEventListener("submit", (e) => {
      e.preventDefault();
      const box = $("ch-text");
      const text = box.value.trim();
      if (!text || !ui.channel) return;
      let done;
      const command = text.match(/^\/(\S+)\s*([\s\S]*)$/);
      if (command) {
        if (command[1] !== "switchboard") { toast("Only /switchboard is installed in this workspace."); return; }
        done = api("agent/command", { user: ui.actor, channel: ui.channel, text: command[2] });
      } else {
        done = api("agent/message", { user: ui.actor, channel: ui.channel, text: text });
      }
      sent(box, done);
    });
    $("th-composer").addEventListener("submit", (e) => {
      e.preventDefault();
      const box = $("th-text");
      const text = box.value.trim();
      if (!text || !ui.thread) return;
      sent(box, api("agent/message", { user: ui.actor, channel: ui.channel, thread_ts: ui.thread, text: text }));
    });
    submitOnEnter($("ch-text"), $("ch-composer"));
    submitOnEnter($("th-text"), $("th-composer"));
    $("th-close").addEventListener("click", () => { ui.thread = ""; render(); });

    document.addEventListener("click", (e) => { if (!e.target.closest("#menu")) closeMenu(); });
    // Slack message links (…/archives/C123/p1712345678000100, as in
    // "moved to team support: <link>") open that thread here instead of
    // leaving for slack.com.
    document.addEventListener("click", (e) => {
      const a = e.target.closest("a[href]");
      const m = a && a.getAttribute("href").match(/\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/);
      if (!m || !channelOf(m[1])) return;
      e.preventDefault();
      const ts = m[2] + "." + m[3];
      const msg = (state.workspace.messages || []).find((x) => x.channel === m[1] && x.ts === ts);
      ui.channel = m[1];
      ui.thread = msg && msg.thread_ts && msg.thread_ts !== ts ? msg.thread_ts : ts;
      render();
    });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeMenu(); });
  }

  wire();
  poll();
})();
