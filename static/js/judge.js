// The ML coding editor: a textarea with code-editor keys (Tab / Shift+Tab indent,
// Enter keeps the indentation, Ctrl/Cmd+Enter submits) and a draft autosaved in
// localStorage. No inline script; no network.
(function () {
  "use strict";
  var INDENT = "    ";

  function lineStart(text, pos) {
    return text.lastIndexOf("\n", pos - 1) + 1;
  }

  function setup(area) {
    var form = area.closest("form");
    var key = area.getAttribute("data-draft-key");
    var saved = key && window.localStorage ? localStorage.getItem(key) : null;
    if (saved !== null && saved.trim() !== "" && saved !== area.value) {
      area.value = saved;
    }
    var timer = null;
    area.addEventListener("input", function () {
      if (!key || !window.localStorage) return;
      clearTimeout(timer);
      timer = setTimeout(function () { localStorage.setItem(key, area.value); }, 300);
    });

    area.addEventListener("keydown", function (event) {
      var start = area.selectionStart, end = area.selectionEnd, text = area.value;
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (key && window.localStorage) localStorage.setItem(key, area.value);
        var submit = form.querySelector('button[value="submit"]');
        if (submit) submit.click();
        return;
      }
      if (event.key === "Tab" && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        var first = lineStart(text, start);
        if (event.shiftKey || start !== end) {
          var block = text.slice(first, end);
          var lines = block.split("\n");
          var changed = lines.map(function (line) {
            if (!event.shiftKey) return INDENT + line;
            return line.replace(/^ {1,4}/, "");
          });
          var replacement = changed.join("\n");
          area.setRangeText(replacement, first, end, "select");
        } else {
          area.setRangeText(INDENT, start, end, "end");
        }
        area.dispatchEvent(new Event("input"));
        return;
      }
      if (event.key === "Enter" && !event.shiftKey && start === end) {
        var lineBegin = lineStart(text, start);
        var line = text.slice(lineBegin, start);
        var indent = line.match(/^[ \t]*/)[0];
        if (/:\s*$/.test(line)) indent += INDENT;
        event.preventDefault();
        area.setRangeText("\n" + indent, start, end, "end");
        area.dispatchEvent(new Event("input"));
      }
    });
  }

  function init(root) {
    root.querySelectorAll("textarea[data-judge-editor]").forEach(function (area) {
      if (area.dataset.judgeReady) return;
      area.dataset.judgeReady = "1";
      setup(area);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
