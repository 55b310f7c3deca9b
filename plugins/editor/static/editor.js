/* The browser editor: Decap CMS, configured from the site's kind registry
 * (editor.json, written by the build), reading and writing our own files:
 * Pelican's "Key: value" metadata, a blank line, the Markdown body.
 *
 * A value staff did not change is written back exactly as it was read, so
 * opening and saving an item leaves its files byte for byte as they were;
 * fields the editor does not know are kept where they were.
 */
(function () {
  "use strict";

  // As Python-Markdown's meta extension (which Pelican uses) reads metadata.
  var META = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var MORE = /^[ ]{4,}(.*)$/;
  var SOURCE = "__source"; // the file as read, kept in the entry's data

  function parseFile(text) {
    var lines = text.split("\n");
    var index = 0;
    var head = [];
    if (lines.length && lines[0].replace(/\r$/, "").trim() === "---") {
      head.push(lines[0]);
      index = 1;
    }
    var fields = [];
    var last = null;
    for (; index < lines.length; index++) {
      var raw = lines[index];
      var line = raw.replace(/\r$/, "");
      var match = META.exec(line);
      if (match) {
        last = { key: match[1], value: match[2].trim(), raw: [raw] };
        fields.push(last);
        continue;
      }
      var more = last ? MORE.exec(line) : null;
      if (more) {
        last.value = (last.value + " " + more[1].trim()).trim();
        last.raw.push(raw);
        continue;
      }
      break;
    }
    // A blank line (or "---", "...") ends the metadata; it is not part of the body.
    var separator = null;
    if (index < lines.length && ["", "---", "..."].indexOf(lines[index].replace(/\r$/, "").trim()) >= 0) {
      separator = lines[index];
      index++;
    }
    return {
      head: head, fields: fields, separator: separator,
      body: lines.slice(index).join("\n"),
      crlf: text.indexOf("\r\n") >= 0,
    };
  }

  function makeFormat(schema) {
    var canonicalNames = {};
    schema.names.forEach(function (name) { canonicalNames[name.toLowerCase()] = name; });

    function canonical(key) {
      return canonicalNames[key.toLowerCase()] || key;
    }

    function toValue(name, text) {
      if (schema.lists[name]) {
        return text.split(schema.lists[name]).map(function (part) { return part.trim(); })
          .filter(Boolean);
      }
      if (schema.flags[name]) {
        var flag = text.trim().toLowerCase();
        // Only "on" and "off" are a switch; another value (hidden) stays as written.
        if (flag === schema.flags[name]) return true;
        if (flag === "" || flag === "published" || flag === "no") return false;
      }
      return text;
    }

    // The text after "Key: " that ``value`` is written as.
    function written(name, value) {
      if (value === undefined || value === null) return "";
      if (Array.isArray(value)) {
        // Names are separated by " ; " (they may hold commas), keys by ", ".
        var separator = schema.lists[name] === ";" ? " ; " : (schema.lists[name] || ",") + " ";
        return value.map(function (part) { return String(part).trim(); }).filter(Boolean)
          .join(separator);
      }
      if (value === true) return schema.flags[name] || "true";
      if (value === false) return "";
      return String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
    }

    function sameBody(before, after) {
      var trim = function (text) { return String(text || "").replace(/\r/g, "").replace(/\s+$/, ""); };
      return trim(before) === trim(after);
    }

    function fromFile(text) {
      var file = parseFile(text);
      var data = {};
      file.fields.forEach(function (field) {
        var name = canonical(field.key);
        if (!(name in data)) data[name] = toValue(name, field.value);
      });
      data[schema.body] = file.body;
      data[SOURCE] = text;
      return data;
    }

    // Whether a language's version holds anything of its own: a version
    // with only the values every language shares is not written.
    function hasOwnText(data) {
      if (String(data[schema.body] || "").trim()) return true;
      return schema.translated.some(function (name) { return written(name, data[name]); });
    }

    function toFile(data, order) {
      var source = typeof data[SOURCE] === "string" ? data[SOURCE] : null;
      if (source === null && !hasOwnText(data)) return "";
      var file = source === null ? null : parseFile(source);
      var before = source === null ? {} : fromFile(source);
      var eol = file && file.crlf ? "\r" : "";
      var lines = file ? file.head.slice() : [];
      var done = {};
      done[SOURCE] = done[schema.body] = true;
      (file ? file.fields : []).forEach(function (field) {
        var name = canonical(field.key);
        var unchanged = done[name] || !(name in data) ||
          written(name, before[name]) === written(name, data[name]);
        done[name] = true;
        if (unchanged) {
          lines.push.apply(lines, field.raw);
          return;
        }
        var text = written(name, data[name]);
        // A field emptied (a draft switched off) loses its line.
        if (text) lines.push(field.key + ": " + text + eol);
      });
      (order || []).concat(Object.keys(data)).forEach(function (name) {
        if (done[name]) return;
        done[name] = true;
        var text = written(name, data[name]);
        if (text) lines.push(name + ": " + text + eol);
      });
      var body = file && sameBody(file.body, data[schema.body]) ? file.body
        : String(data[schema.body] || "");
      if (file && file.separator !== null) {
        lines.push(file.separator);
      } else if (!file) {
        lines.push(eol);
      }
      return lines.length ? lines.join("\n") + "\n" + body : body;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  // "2026-12-10 14:00" now in the time zone ``zone``.
  function now(zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  // Dates and times as staff write them: "2026-12-10 14:00", or "2026-12-10"
  // (an all-day event). Japan time as written; nothing is converted.
  function dateTimeWidget() {
    var h = window.h;
    return window.createClass({
      componentDidMount: function () {
        // A new item is published now, as ``invoke new`` dates it (Japan time).
        var zone = this.props.field.get("default_now");
        var entry = this.props.entry;
        if (zone && !this.props.value && !this.props.isDisabled && entry && entry.get("newRecord")) {
          this.props.onChange(now(zone));
        }
      },
      parts: function () {
        var match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?/.exec(this.props.value || "");
        return match ? { date: match[1], time: match[2] || "" } : { date: "", time: "" };
      },
      change: function (part, value) {
        var parts = this.parts();
        parts[part] = value;
        this.props.onChange(parts.date ? (parts.time ? parts.date + " " + parts.time : parts.date) : "");
      },
      isValid: function () {
        var value = this.props.value || "";
        if (!value || /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(value)) return true;
        return { error: { message: "日付は 2026-12-10 14:00 の形で書きます（Write it as 2026-12-10 14:00）" } };
      },
      render: function () {
        var parts = this.parts();
        var self = this;
        var id = this.props.forID;
        return h("div", { className: this.props.classNameWrapper + " pelican-datetime" },
          h("input", {
            id: id, type: "date", value: parts.date, "aria-label": "日付（Date）",
            onChange: function (event) { self.change("date", event.target.value); },
            onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          }),
          h("input", {
            id: id + "-time", type: "time", value: parts.time, "aria-label": "時刻（Time）",
            onChange: function (event) { self.change("time", event.target.value); },
            onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
          }),
          h("span", { className: "pelican-datetime__zone" }, "日本時間"));
      },
    });
  }

  // The language of the version being edited: shown, never typed. A new
  // version takes the language of its side of the editor.
  function langWidget(names) {
    var h = window.h;
    return window.createClass({
      componentDidMount: function () { this.follow(); },
      componentDidUpdate: function () { this.follow(); },
      follow: function () {
        var locale = this.props.locale;
        if (locale && this.props.value !== locale && !this.props.value) this.props.onChange(locale);
      },
      render: function () {
        var value = this.props.value || this.props.locale || "";
        return h("output", { id: this.props.forID, className: this.props.classNameWrapper },
          (names[value] || value) + "（" + value + "）");
      },
    });
  }

  // The fingerprint of what a translation is made from: the same as
  // rules.content_fingerprint in Python (title, summary, text; spaces at line
  // ends and blank lines around the text do not count).
  function fingerprint(title, summary, body) {
    var words = function (text) { return String(text || "").split(/\s+/).filter(Boolean).join(" "); };
    var lines = String(body || "").replace(/\r\n?/g, "\n").split("\n")
      .map(function (line) { return line.replace(/\s+$/, ""); });
    var text = [words(title), words(summary), lines.join("\n").replace(/^\n+|\n+$/g, "")].join("\n");
    return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (hash) {
      return Array.from(new Uint8Array(hash)).slice(0, 4)
        .map(function (byte) { return byte.toString(16).padStart(2, "0"); }).join("");
    });
  }

  // Translated-From: on a translation's side, whether it follows the original
  // as the original is now, and a button to say it does once it is updated.
  function translatedFromWidget(names) {
    var h = window.h;
    return window.createClass({
      getInitialState: function () { return { current: null }; },
      componentDidMount: function () { this.measure(); },
      componentDidUpdate: function () { this.measure(); },
      original: function () { return this.props.field.get("original"); },
      measure: function () {
        var data = this.props.entry && this.props.entry.get("data");
        if (!data || this.props.locale === this.original()) return;
        var self = this;
        fingerprint(data.get("Title"), data.get("Summary"), data.get("body")).then(function (now) {
          if (self.state.current !== now) self.setState({ current: now });
        });
      },
      render: function () {
        var original = this.original();
        var name = names[original] || original;
        var wrapper = { id: this.props.forID, className: this.props.classNameWrapper + " pelican-translated-from" };
        if (this.props.locale === original) {
          return h("p", wrapper, "原文です（This is the original）");
        }
        var wanted = this.state.current ? original + " " + this.state.current : null;
        var value = this.props.value || "";
        var self = this;
        var state = !value ? "まだ記録がありません（Not marked yet）"
          : value === wanted ? name + "版に合わせてあります（Up to date with the " + original + " version）"
            : name + "版が、この翻訳の後で変わっています（The " + original + " version changed since）";
        return h("div", wrapper,
          h("p", { role: "status" }, state),
          value === wanted ? null : h("button", {
            type: "button", disabled: !wanted,
            onClick: function () { self.props.onChange(wanted); },
          }, "翻訳を" + name + "版に合わせた（Mark as up to date）"));
      },
    });
  }

  // After a save the preview rebuilds: say whether the site built, and if
  // not, what to fix (the checks' message: file, line, field, fix).
  function watchBuilds(statusUrl, previewUrl) {
    var box = document.createElement("div");
    box.id = "pelican-build";
    box.setAttribute("role", "status");
    box.hidden = true;
    document.body.appendChild(box);

    function show(status) {
      box.hidden = false;
      box.className = status.state === "failed" ? "pelican-build pelican-build--failed"
        : "pelican-build";
      box.setAttribute("role", status.state === "failed" ? "alert" : "status");
      box.textContent = "";
      var title = document.createElement("strong");
      title.textContent = status.state === "failed"
        ? "公開できない箇所があります（The site could not be built）"
        : status.state === "building" ? "プレビューを更新しています…（Building the preview…）"
          : "プレビューを更新しました（The preview is up to date）";
      box.appendChild(title);
      if (status.state === "failed" && status.message) {
        var message = document.createElement("pre");
        message.textContent = status.message;
        box.appendChild(message);
      }
      if (status.state !== "building") {
        var link = document.createElement("a");
        link.href = previewUrl;
        link.target = "_blank";
        link.textContent = "プレビューを開く（Open the preview）";
        box.appendChild(link);
      }
    }

    var known = null;
    function poll() {
      fetch(statusUrl, { cache: "no-store" }).then(function (response) {
        return response.json();
      }).then(function (status) {
        if (known !== null && (status.builds !== known || status.state === "building")) show(status);
        if (status.state === "failed" && known === null) show(status);
        if (status.state !== "building") known = status.builds;
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
    }
    poll();
  }

  // Decap's Japanese interface lacks a few of its newer phrases.
  function completeJapanese(CMS) {
    var phrases = CMS.getLocale && CMS.getLocale("ja");
    var i18n = phrases && phrases.editor && phrases.editor.editorControlPane &&
      phrases.editor.editorControlPane.i18n;
    if (!i18n) return;
    i18n.copyFromLocale = i18n.copyFromLocale || "ほかの言語からコピー";
    i18n.copyFromLocaleConfirm = i18n.copyFromLocaleConfirm ||
      "%{locale} の内容をコピーしますか？\nこの言語の入力済みの内容は上書きされます。";
  }

  // The body opens as the Markdown staff wrote (Decap's rich text mode
  // rewrites the whole body on the first keystroke); the image button is one
  // switch away, and the editor remembers the mode staff last chose.
  if (!window.localStorage.getItem("cms.md-mode")) window.localStorage.setItem("cms.md-mode", "raw");

  fetch("editor.json", { cache: "no-store" }).then(function (response) {
    return response.json();
  }).then(function (data) {
    var CMS = window.CMS;
    var format = makeFormat(data.format);
    CMS.registerCustomFormat(data.config.collections[0].format, "md", format);
    CMS.registerWidget("pelican-datetime", dateTimeWidget());
    CMS.registerWidget("pelican-lang", langWidget(data.languages));
    CMS.registerWidget("pelican-translated-from", translatedFromWidget(data.languages));
    completeJapanese(CMS);
    CMS.init({ config: data.config });
    if (data.build_status) watchBuilds(data.build_status, data.preview || "/");
  });

  // Exposed for the tests, which read and write our files through it.
  window.PelicanFormat = { make: makeFormat, parse: parseFile, fingerprint: fingerprint };
})();
