// mrkdwn.js turns Slack mrkdwn and WhatsApp formatting into HTML. Every
// piece of text is escaped before it is placed in the result, so the
// output is safe for innerHTML whatever the text contains; links keep only
// http(s) and mailto addresses.
"use strict";

(function () {
  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // Slack escapes &, < and > in message text; decoding them first lets us
  // escape everything once, our way.
  function unslack(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function safeURL(u) {
    return /^(https?:|mailto:)/i.test(u) ? u : "";
  }

  // Placeholders are private-use characters (stripped from the input first),
  // so no text can forge one.
  const MARK = "\uE000";
  function holder() {
    const parts = [];
    return {
      put(html) { parts.push(html); return MARK + (parts.length - 1) + MARK; },
      restore(s) { return s.replace(/\uE000(\d+)\uE000/g, (_, i) => parts[Number(i)]); },
    };
  }

  // emphasis applies *bold*, _italic_ and ~strike~ (Slack's and WhatsApp's
  // markers) to already escaped text: the markers must hug the words and
  // not sit inside a word, as both apps require.
  function emphasis(s, bold) {
    const wrap = (marker, tag) => {
      const m = marker.replace(/[*~]/g, "\\$&");
      const re = new RegExp("(^|[^\\w" + m + "])" + m + "(?=\\S)([^\\n]*?\\S)" + m + "(?![\\w" + m + "])", "g");
      s = s.replace(re, "$1<" + tag + ">$2</" + tag + ">");
    };
    wrap(bold, "b");
    wrap("_", "i");
    wrap("~", "s");
    return s;
  }

  function lines(s) {
    // "> quote" lines (escaped as &gt;) become quotes; newlines become <br>.
    return s.split("\n").map((l) => (l.startsWith("&gt; ") || l === "&gt;")
      ? '<span class="quote">' + l.replace(/^&gt; ?/, "") + "</span>" : l).join("<br>");
  }

  function code(h, s) {
    s = s.replace(/```([\s\S]*?)```/g, (_, c) => h.put("<pre>" + escapeHTML(c.replace(/^\n/, "")) + "</pre>"));
    return s.replace(/`([^`\n]+)`/g, (_, c) => h.put("<code>" + escapeHTML(c) + "</code>"));
  }

  // slack renders Slack mrkdwn. users maps user ids to names for mentions,
  // channels maps channel ids to names.
  function slack(text, users, channels) {
    if (text == null) return "";
    const h = holder();
    let s = String(text).replace(/[\uE000\u0000]/g, "");
    s = code(h, s);
    s = s.replace(/<([^<>\n]+)>/g, (_, inner) => {
      const bar = inner.indexOf("|");
      const target = bar >= 0 ? inner.slice(0, bar) : inner;
      const label = bar >= 0 ? unslack(inner.slice(bar + 1)) : "";
      if (target.startsWith("@")) {
        const id = target.slice(1);
        const name = (users && users[id]) || label || id;
        return h.put('<span class="mention">@' + escapeHTML(name) + "</span>");
      }
      if (target.startsWith("#")) {
        const id = target.slice(1);
        const name = (channels && channels[id]) || label || id;
        return h.put('<span class="mention">#' + escapeHTML(name) + "</span>");
      }
      if (target.startsWith("!date^")) {
        // <!date^unix^format|fallback>: shown in the reader's time.
        const unix = Number(target.split("^")[1]);
        const shown = isFinite(unix) ? new Date(unix * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : label;
        return h.put('<span class="date">' + escapeHTML(shown || label) + "</span>");
      }
      if (target.startsWith("!")) {
        const word = target.slice(1).split("^")[0];
        return h.put('<span class="mention">@' + escapeHTML(label || word) + "</span>");
      }
      const url = safeURL(unslack(target));
      const shown = label || unslack(target);
      if (!url) return h.put(escapeHTML(shown));
      return h.put('<a href="' + escapeHTML(url) + '" target="_blank" rel="noopener noreferrer">' + escapeHTML(shown) + "</a>");
    });
    s = bareLinks(h, unslack(s));
    s = escapeHTML(s);
    s = emphasis(s, "*");
    return h.restore(lines(s));
  }

  // bareLinks turns http(s) addresses written out in the text into links,
  // as both Slack and WhatsApp show them.
  function bareLinks(h, s) {
    return s.replace(/\bhttps?:\/\/[^\s<>"|\uE000]*[^\s<>"|\uE000.,;:!?)]/g, (u) => h.put('<a href="' + escapeHTML(u) + '" target="_blank" rel="noopener noreferrer">' + escapeHTML(u) + "</a>"));
  }

  // whatsapp renders WhatsApp formatting (*bold*, _italic_, ~strike~,
  // ```monospace```, `code`) of a plain text as HTML; bare links become links.
  function whatsapp(text) {
    if (text == null) return "";
    const h = holder();
    let s = String(text).replace(/[\uE000\u0000]/g, "");
    s = code(h, s);
    s = escapeHTML(bareLinks(h, s));
    s = emphasis(s, "*");
    return h.restore(lines(s));
  }

  window.Mrkdwn = { slack, whatsapp, escapeHTML };
})();
