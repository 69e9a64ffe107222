// blockkit.js draws Slack Block Kit (messages' blocks and modals' views)
// as HTML: sections with fields, headers, dividers, context, images,
// actions with buttons and selects, and input blocks as form fields. Text
// goes through textContent or Mrkdwn (which escapes it); images are kept
// only when they come from the sandbox itself.
"use strict";

(function () {
  // el builds an element: attrs sets attributes (class, data-*, …), text
  // and html (Mrkdwn output only) set the content, on* add listeners.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function textObject(t, ctx, cls) {
    if (!t) return null;
    if (typeof t === "string") return el("span", { class: cls, text: t });
    if (t.type === "mrkdwn") return el("span", { class: cls, html: ctx.mrkdwn(t.text) });
    return el("span", { class: cls, text: t.text || "" });
  }

  function plain(t) {
    return t ? (typeof t === "string" ? t : t.text || "") : "";
  }

  // renderBlocks draws blocks. ctx.click(blockID, actionID, value) sends
  // a block action (a promise); ctx.view is set inside a modal, where
  // input blocks are form fields; ctx.mrkdwn renders mrkdwn text, and
  // ctx.users / ctx.channels are what users and channel selects offer.
  function renderBlocks(blocks, ctx) {
    return el("div", { class: "blocks" }, blocks.map((b) => renderBlock(b, ctx)));
  }

  function renderBlock(b, ctx) {
    const id = b.block_id || "";
    switch (b.type) {
      case "header":
        return el("div", { class: "blk-header", "data-block-id": id, text: plain(b.text) });
      case "divider":
        return el("hr", { class: "blk-divider" });
      case "section": {
        const sec = el("div", { class: "blk-section", "data-block-id": id });
        const main = el("div", { class: "blk-main" });
        if (b.text) main.append(el("div", { class: "blk-text" }, textObject(b.text, ctx)));
        if (b.fields && b.fields.length) main.append(el("div", { class: "blk-fields" }, b.fields.map((f) => el("div", { class: "blk-field" }, textObject(f, ctx)))));
        sec.append(main);
        if (b.accessory) sec.append(el("div", { class: "blk-accessory" }, element(b.accessory, id, ctx, true)));
        return sec;
      }
      case "context":
        return el("div", { class: "blk-context", "data-block-id": id }, (b.elements || []).map((e) => e.type === "image"
          ? el("img", { class: "ctx-img", src: safeImage(e.image_url), alt: e.alt_text || "" })
          : textObject(e, ctx)));
      case "actions":
        return el("div", { class: "blk-actions", "data-block-id": id }, (b.elements || []).map((e) => element(e, id, ctx, true)));
      case "image":
        return el("figure", { class: "blk-image", "data-block-id": id },
          b.title ? el("figcaption", { text: plain(b.title) }) : null,
          el("img", { src: safeImage(b.image_url || (b.slack_file && b.slack_file.url)), alt: b.alt_text || "" }));
      case "input": {
        const field = el("label", { class: "blk-input", "data-block-id": id },
          el("span", { class: "blk-label", text: plain(b.label) + (b.optional ? " (optional)" : "") }),
          element(b.element || {}, id, ctx, !!b.dispatch_action),
          b.hint ? el("span", { class: "blk-hint", text: plain(b.hint) }) : null);
        return field;
      }
      default:
        return el("div", { class: "blk-unknown", text: b.text ? plain(b.text) : "" });
    }
  }

  // safeImage keeps images that cannot leave the machine: the sandbox's
  // own media and data: URLs. Anything else shows as a broken picture.
  function safeImage(url) {
    return /^(\/sandbox\/media\/|data:image\/)/.test(url || "") ? url : "";
  }

  function options(e, ctx) {
    if (e.type === "users_select" || e.type === "multi_users_select") {
      return (ctx.users || []).map((u) => ({ value: u.id, label: u.name }));
    }
    if (/(conversations|channels)_select$/.test(e.type || "")) {
      return (ctx.channels || []).map((c) => ({ value: c.id, label: "#" + c.name }));
    }
    if (e.option_groups) {
      return e.option_groups.map((g) => ({ group: plain(g.label), items: (g.options || []).map((o) => ({ value: o.value, label: plain(o.text) })) }));
    }
    return (e.options || []).map((o) => ({ value: o.value, label: plain(o.text) }));
  }

  function initialValue(e) {
    if (e.initial_option) return e.initial_option.value;
    return e.initial_user || e.initial_conversation || e.initial_channel || e.initial_value || e.initial_date || "";
  }

  // element draws an interactive element. immediate: a change or click is
  // sent at once (actions blocks, accessories, dispatch_action inputs);
  // otherwise its value waits for the modal's submit.
  function element(e, blockID, ctx, immediate) {
    const action = e.action_id || "";
    const send = (value) => ctx.click(blockID, action, value).catch(() => {});
    switch (e.type) {
      case "button": {
        const b = el("button", {
          type: "button", class: "btn" + (e.style ? " " + e.style : ""),
          "data-action-id": action, "data-block-id": blockID, "data-value": e.value || null, text: plain(e.text),
        });
        b.addEventListener("click", () => {
          if (e.url && /^https?:/.test(e.url)) window.open(e.url, "_blank", "noopener");
          b.disabled = true;
          send(e.value || "").finally(() => { b.disabled = false; });
        });
        return b;
      }
      case "plain_text_input":
      case "url_text_input":
      case "email_text_input":
      case "number_input":
      case "datepicker":
      case "timepicker": {
        const type = { url_text_input: "url", email_text_input: "email", number_input: "number", datepicker: "date", timepicker: "time" }[e.type] || "text";
        const input = e.multiline
          ? el("textarea", { rows: 4 })
          : el("input", { type: type });
        input.setAttribute("data-action-id", action);
        input.setAttribute("data-block-id", blockID);
        input.classList.add("field");
        if (e.placeholder) input.placeholder = plain(e.placeholder);
        if (e.max_length) input.maxLength = e.max_length;
        input.value = initialValue(e);
        // Enter in a one-line field never submits the modal (Slack's does
        // not); in a dispatch_action input it sends the value, as Slack
        // does by default (trigger on_enter_pressed).
        if (!e.multiline) {
          input.addEventListener("keydown", (ev) => {
            if (ev.key !== "Enter" || ev.isComposing) return;
            ev.preventDefault();
            if (immediate && ctx.view) send(input.value);
          });
        }
        return input;
      }
      case "static_select":
      case "external_select":
      case "users_select":
      case "conversations_select":
      case "channels_select":
      case "overflow":
      case "radio_buttons": {
        const select = el("select", { class: "field", "data-action-id": action, "data-block-id": blockID });
        const placeholder = e.type === "overflow" ? "⋯" : plain(e.placeholder) || "Choose…";
        select.append(el("option", { value: "", text: placeholder }));
        for (const o of options(e, ctx)) {
          if (o.group) select.append(el("optgroup", { label: o.group }, o.items.map((i) => el("option", { value: i.value, text: i.label }))));
          else select.append(el("option", { value: o.value, text: o.label }));
        }
        select.value = initialValue(e);
        if (immediate) select.addEventListener("change", () => { if (select.value) send(select.value); });
        return select;
      }
      case "image":
        return el("img", { class: "acc-img", src: safeImage(e.image_url), alt: e.alt_text || "" });
      default:
        return el("span", { class: "muted", text: "[" + (e.type || "element") + "]" });
    }
  }

  function viewValues(form) {
    // block_id → action_id → value, as AgentViewSubmit wants; empty
    // fields are left out, as Slack leaves their value null.
    const values = {};
    for (const f of form.querySelectorAll(".blk-input .field")) {
      if (f.value === "") continue;
      const b = f.dataset.blockId, a = f.dataset.actionId;
      (values[b] = values[b] || {})[a] = f.value;
    }
    return values;
  }

  window.BlockKit = { el, render: renderBlocks, plain, safeImage, viewValues };
})();
