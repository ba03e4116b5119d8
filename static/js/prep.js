/* Prep — site-wide behaviour. Loaded with `defer` on every page, after htmx.
 *
 * The site runs under `script-src 'self'`: no inline scripts, no on*= attributes,
 * no eval. Behaviour is attached here (or in static/js/<app>.js) from data-*
 * attributes.
 *
 * For app modules: register an initialiser with
 *
 *     Prep.init(function (root) { root.querySelectorAll("[data-thing]") ... });
 *
 * It runs once for the page when the DOM is ready and again for every fragment
 * htmx swaps in (root is the new content), so the same code covers both. Load the
 * module from a page with {% block extra_head %}<script src="{% static 'js/app.js' %}" defer></script>{% endblock %}.
 *
 * CSRF needs nothing here: <body hx-headers> carries the token for htmx requests.
 */
(function () {
  "use strict";

  var initialisers = [];
  var ready = false;

  function runAll(root) {
    initialisers.forEach(function (fn) {
      try {
        fn(root);
      } catch (err) {
        // One broken module must not stop the others.
        if (window.console) console.error(err);
      }
    });
  }

  var Prep = (window.Prep = window.Prep || {});

  /** Register fn(root) to run on page load and on every htmx-inserted fragment. */
  Prep.init = function (fn) {
    initialisers.push(fn);
    if (ready) {
      try { fn(document.body); } catch (err) { if (window.console) console.error(err); }
    }
  };

  /** Add a flash message to #messages (the same markup as components/messages.html). */
  Prep.flash = function (text, level) {
    var box = document.getElementById("messages");
    if (!box) return;
    level = level || "info";
    var div = document.createElement("div");
    div.className = "message message--" + level;
    div.setAttribute("role", level === "error" || level === "warning" ? "alert" : "status");
    var p = document.createElement("p");
    p.textContent = text;
    div.appendChild(p);
    box.appendChild(div);
  };

  /** root.querySelectorAll(selector), including root itself when it matches. */
  Prep.find = function (root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  };

  /* (1) Time zone detection ------------------------------------------------- */
  /* <input data-detect-timezone>: filled when empty.
     <select data-detect-timezone>: chosen when no option was selected by the
     server (no option carries the `selected` attribute, or it has an empty value). */
  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (err) {
      return "";
    }
  }

  function detectTimezone(root) {
    var fields = Prep.find(root, "[data-detect-timezone]");
    if (!fields.length) return;
    var tz = browserTimeZone();
    if (!tz) return;
    fields.forEach(function (field) {
      var tag = field.tagName;
      if (tag === "INPUT") {
        if (field.value.trim() === "") {
          field.value = tz;
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else if (tag === "SELECT") {
        var chosen = Array.prototype.some.call(field.options, function (o) {
          return o.defaultSelected && o.value !== "";
        });
        if (chosen) return;
        var match = Array.prototype.some.call(field.options, function (o) {
          return o.value === tz;
        });
        if (match) {
          field.value = tz;
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
  }
  Prep.init(detectTimezone);

  /* (3) Confirm dialogs ------------------------------------------------------ */
  /* data-confirm="Delete this deck?" on a <form>, a submit button, a link or any
     htmx-triggering element. A submit button's own message wins over its form's.
     (htmx's own hx-confirm also works under the CSP.) */
  function ask(message) {
    return window.confirm(message);
  }

  // Capture phase, so a refusal stops htmx's handlers on the element too.
  document.addEventListener(
    "click",
    function (event) {
      var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
      if (!el || el.tagName === "FORM") return;
      if (!ask(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      // Remember the answer so the form's submit handler (which runs
      // synchronously after this click) does not ask again.
      var form = el.form;
      if (form) {
        form.setAttribute("data-confirmed", "");
        setTimeout(function () { form.removeAttribute("data-confirmed"); }, 0);
      }
    },
    true
  );

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.hasAttribute("data-confirmed")) {
        form.removeAttribute("data-confirmed");
        return;
      }
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-confirm")) return; // asked on click
      var message = form.getAttribute && form.getAttribute("data-confirm");
      if (message && !ask(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  /* htmx: tell the user when a request fails instead of doing nothing. -------- */
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status === 403) {
      Prep.flash("You are not allowed to do that, or your session has expired. Reload the page and try again.", "error");
    } else if (status === 404) {
      Prep.flash("That item no longer exists. Reload the page to see the current state.", "error");
    } else if (status === 429) {
      Prep.flash("Too many requests. Wait a moment and try again.", "warning");
    } else {
      Prep.flash("Something went wrong (" + status + "). Your change may not have been saved — please try again.", "error");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    Prep.flash("Could not reach the server. Check your connection and try again.", "error");
  });

  /* Boot ----------------------------------------------------------------------- */
  function boot() {
    ready = true;
    runAll(document.body);
    // Fragments swapped in by htmx get the same treatment.
    document.body.addEventListener("htmx:load", function (event) {
      var elt = event.detail && event.detail.elt;
      if (elt && elt !== document.body && elt.querySelectorAll) runAll(elt);
    });
    // Everything is bound (htmx processed the page before this listener ran): say so, for
    // whoever drives the page — the browser tests wait for it before typing.
    document.documentElement.setAttribute("data-ready", "");
  }

  // Boot once every deferred script has run: a page's own script (flashcards.js, judge.js…)
  // comes after this one, and DOMContentLoaded fires only after all of them, whereas this
  // file runs while the document is already "interactive". Booting here and then would
  // announce data-ready before the page's own key bindings exist.
  function bootOnce() {
    if (!ready) boot();
  }
  if (document.readyState === "complete") {
    bootOnce();
  } else {
    document.addEventListener("DOMContentLoaded", bootOnce);
    window.addEventListener("load", bootOnce);
  }
})();
