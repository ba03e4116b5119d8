/* Mocks — the solo mock's phase clock and the note hand-off on "Next phase".
 *
 * The timer's state lives on the server: each clock carries data-since (when the phase,
 * or the mock, started, epoch ms) and data-now (the server's clock when the page was
 * rendered), so a reload or a skewed client clock shows the same time. data-planned
 * (seconds) turns the clock red past the phase's planned duration.
 */
(function () {
  "use strict";
  var Prep = window.Prep;
  if (!Prep) return;

  var clocks = [];
  var ticking = null;

  function format(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function elapsed(el) {
    var since = Number(el.getAttribute("data-since"));
    var skew = Number(el.getAttribute("data-skew") || 0);
    return (Date.now() + skew - since) / 1000;
  }

  function tick() {
    clocks = clocks.filter(function (el) { return document.body.contains(el); });
    if (!clocks.length) {
      clearInterval(ticking);
      ticking = null;
      return;
    }
    clocks.forEach(function (el) {
      var seconds = elapsed(el);
      var planned = Number(el.getAttribute("data-planned") || 0);
      if (el.tagName === "PROGRESS") {
        el.value = Math.min(seconds, el.max);
        return;
      }
      el.textContent = format(seconds);
      if (planned) el.classList.toggle("timer--over", seconds > planned);
    });
  }

  Prep.init(function (root) {
    Prep.find(root, "[data-mock-clock], [data-mock-progress]").forEach(function (el) {
      // Server time minus client time, measured once when the element arrives.
      el.setAttribute("data-skew", String(Number(el.getAttribute("data-now")) - Date.now()));
      clocks.push(el);
    });
    tick();
    if (clocks.length && !ticking) ticking = setInterval(tick, 1000);

    // "Next phase" carries the current phase's note, in case its autosave is still waiting.
    Prep.find(root, "[data-advance-form]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var hidden = form.querySelector("[data-advance-note]");
        if (!hidden) return;
        var slug = hidden.getAttribute("data-advance-note");
        var area = document.querySelector('[data-phase-note="' + slug + '"]');
        if (area) {
          hidden.value = area.value;
          hidden.disabled = false;
        }
      });
    });
  });
})();
