/* Capture's live page: the phase clock. Runs under script-src 'self' (no inline code).
 *
 * <span data-capture-clock data-since="<epoch ms>" data-now="<server epoch ms>"> shows the
 * time since `since`, measured against the server's clock (so a skewed laptop clock does not
 * matter). Re-attached after every htmx swap, since the poll replaces the framing card.
 */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function tick() {
    var clocks = document.querySelectorAll("[data-capture-clock]");
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      var since = parseInt(el.getAttribute("data-since"), 10);
      var serverNow = parseInt(el.getAttribute("data-now"), 10);
      if (isNaN(since) || isNaN(serverNow)) { continue; }
      if (!el.hasAttribute("data-loaded")) { el.setAttribute("data-loaded", String(Date.now())); }
      var elapsed = serverNow - since + (Date.now() - parseInt(el.getAttribute("data-loaded"), 10));
      el.textContent = format(Math.max(0, Math.floor(elapsed / 1000)));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSettle", tick);
})();
