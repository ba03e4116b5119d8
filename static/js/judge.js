// The ML coding editor: a textarea with code-editor keys (Tab / Shift+Tab indent,
// Enter keeps the indentation, Ctrl/Cmd+Enter submits) and a draft autosaved in
// localStorage. No inline script; no network.
(function () {
  "use strict";
  var INDENT = "    ";

  function lineStart(text, pos) {
    return text.lastIndexOf("\n", pos - 1) + 1;
  }

  // Syntax highlighting: a <pre> under the (transparent-text) textarea, rebuilt from
  // a small tokenizer on every input. Text nodes only: user code is never parsed as HTML.
  var PY_KEYWORDS = ("False None True and as assert async await break class continue def del elif else " +
    "except finally for from global if import in is lambda nonlocal not or pass raise return try while " +
    "with yield").split(" ");
  var SQL_KEYWORDS = ("select from where join left right inner outer full cross on as and or not in is " +
    "null group by order having limit offset with distinct case when then else end over partition rows " +
    "range between unbounded preceding following current row union all exists asc desc count sum avg " +
    "min max coalesce nullif cast integer real text date strftime julianday round lag lead row_number " +
    "rank dense_rank").split(" ");
  var TOKEN = /(#[^\n]*|--[^\n]*)|("""[\s\S]*?(?:"""|$)|'[^'\n]*'?|"[^"\n]*"?)|(\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

  function highlight(pre, text, language) {
    var keywords = language === "sql" ? SQL_KEYWORDS : PY_KEYWORDS;
    var fragment = document.createDocumentFragment();
    var last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      var kind = null;
      if (match[1] && ((language === "sql") === match[1].startsWith("--"))) kind = "c";
      else if (match[2]) kind = "s";
      else if (match[3]) kind = "n";
      else if (match[4]) {
        var word = language === "sql" ? match[4].toLowerCase() : match[4];
        if (keywords.indexOf(word) >= 0) kind = "k";
      }
      if (!kind) continue;
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var span = document.createElement("span");
      span.className = "tok-" + kind;
      span.textContent = match[0];
      fragment.appendChild(span);
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last) + "\n"));
    pre.replaceChildren(fragment);
  }

  function setup(area) {
    var form = area.closest("form");
    var key = area.getAttribute("data-draft-key");
    var saved = key && window.localStorage ? localStorage.getItem(key) : null;
    if (saved !== null && saved.trim() !== "" && saved !== area.value) {
      area.value = saved;
    }
    var wrap = document.createElement("div");
    wrap.className = "judge-editor";
    var pre = document.createElement("pre");
    pre.className = "judge-highlight";
    pre.setAttribute("aria-hidden", "true");
    area.parentNode.insertBefore(wrap, area);
    wrap.appendChild(pre);
    wrap.appendChild(area);
    area.classList.add("judge-code--overlay");
    var language = area.getAttribute("data-language") || "python";
    var repaint = function () {
      highlight(pre, area.value, language);
      pre.scrollTop = area.scrollTop;
      pre.scrollLeft = area.scrollLeft;
    };
    area.addEventListener("scroll", function () {
      pre.scrollTop = area.scrollTop;
      pre.scrollLeft = area.scrollLeft;
    });
    area.addEventListener("input", repaint);
    repaint();

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
