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

/* Push, not poll: the live page listens to the session's event stream and, when an event
 * arrives, fetches what changed (the #live-poll partial and its out-of-band swaps) with
 * htmx.ajax. One fetch at a time; events during a fetch make one more fetch after it, so the
 * last event is never left unfetched. EventSource reconnects by itself with Last-Event-ID.
 * The overlay link opens a small popup window. */
(function () {
  "use strict";

  var busy = false, dirty = false;

  function refresh() {
    var poll = document.getElementById("live-poll");
    var url = poll && poll.getAttribute("data-live-url");
    if (!url || !window.htmx) { return; }
    if (busy) { dirty = true; return; }
    busy = true;
    window.htmx.ajax("GET", url, { target: "#live-poll", swap: "outerHTML" }).then(done, done);
  }

  function done() {
    busy = false;
    if (dirty) { dirty = false; refresh(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("[data-capture-events]");
    if (list && window.EventSource) {
      var source = new EventSource(list.getAttribute("data-capture-events"));
      ["segments", "pin", "pin_deleted", "phase", "status"].forEach(function (kind) {
        source.addEventListener(kind, function () {
          refresh();
          if (kind === "status") { source.close(); }
        });
      });
    }
    var link = document.querySelector("[data-capture-overlay]");
    if (link) {
      link.addEventListener("click", function (event) {
        var popup = window.open(link.href, "prep-overlay", "popup,width=340,height=280");
        if (popup) { event.preventDefault(); }
      });
    }
  });
})();
