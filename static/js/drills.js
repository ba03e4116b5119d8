// Drills: the attempt timer and confirmations. Loaded with defer; no inline scripts (CSP).
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : pad(m) + ":" + pad(s);
  }

  // The start time comes from the server, so a reload or another device shows the same clock.
  function startTimers(root) {
    root.querySelectorAll("[data-drill-timer]").forEach(function (el) {
      if (el.dataset.ticking) return;
      var started = Date.parse(el.dataset.started);
      if (isNaN(started)) return;
      el.dataset.ticking = "1";
      var tick = function () {
        var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
        el.textContent = format(seconds);
        el.classList.toggle("timer--over", seconds > 45 * 60);
      };
      tick();
      setInterval(tick, 1000);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () { startTimers(document); });
  document.addEventListener("htmx:load", function (event) { startTimers(event.target); });
})();
