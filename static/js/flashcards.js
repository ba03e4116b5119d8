/* Prep — flashcards review keyboard. Loaded with `defer` on the review page.
 *
 * Space reveals the answer (opens <details data-reveal>), 1–4 rate the card (clicks the
 * matching rating button, so htmx posts the form and swaps in the next card), U undoes the
 * last rating. Keys are ignored while typing in a field, with modifiers, and on auto-repeat,
 * and a rating only counts once the answer is shown. No inline script: the page keeps
 * working without this file (the <details> opens on click, the buttons submit).
 */
(function () {
  "use strict";

  function session() {
    return document.querySelector("[data-review]");
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function busy(root) {
    return root.classList.contains("htmx-request") || !!root.querySelector("form.htmx-request");
  }

  document.addEventListener("keydown", function (event) {
    var root = session();
    if (!root || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var reveal = root.querySelector("details[data-reveal]");
    var key = event.key;

    if (key === " " || key === "Spacebar") {
      if (reveal && !reveal.open) {
        event.preventDefault();
        reveal.open = true;
        var first = reveal.querySelector("[data-rating='3']");
        if (first) first.focus({ preventScroll: true });
      } else if (reveal && reveal.open) {
        // Space on a revealed card must not press the focused rating button twice.
        event.preventDefault();
      }
      return;
    }
    if (key >= "1" && key <= "4") {
      if (!reveal || !reveal.open || busy(root)) return;
      var button = reveal.querySelector("[data-rating='" + key + "']");
      if (button && !button.disabled) {
        event.preventDefault();
        button.click();
      }
      return;
    }
    if (key === "u" || key === "U") {
      var undo = root.querySelector("[data-undo]");
      if (undo && !busy(root)) {
        event.preventDefault();
        undo.click();
      }
    }
  });

  // While a rating is on its way, its buttons cannot be pressed again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.closest || !form.closest("[data-review]")) return;
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });

  // After a swap, put focus in the new session so screen readers and the keyboard follow.
  document.addEventListener("htmx:afterSwap", function () {
    var root = session();
    if (!root) return;
    var summary = root.querySelector("details[data-reveal] summary") || root;
    if (summary === root) root.setAttribute("tabindex", "-1");
    summary.focus({ preventScroll: true });
  });
})();
