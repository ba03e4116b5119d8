/* Transcripts: bring the linked moment (#seq-N) into view and give it focus, also after an
 * htmx swap. Everything else is htmx attributes and CSS (:target). */
(function () {
  "use strict";
  function focusMoment() {
    var match = /^#seq-(\d+)$/.exec(window.location.hash || "");
    if (!match) return;
    var el = document.getElementById("seq-" + match[1]);
    if (!el) return;
    el.classList.add("tx-seg--target");
    el.setAttribute("tabindex", "-1");
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
  }
  if (window.Prep && window.Prep.init) {
    var done = false;
    window.Prep.init(function () {
      if (!done) { done = true; focusMoment(); }
    });
  } else {
    document.addEventListener("DOMContentLoaded", focusMoment);
  }
  window.addEventListener("hashchange", focusMoment);
})();
