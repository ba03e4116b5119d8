/* The live overlay (templates/capture/overlay.html). Runs under script-src 'self'.
 *
 * - Listens to the session's Server-Sent Events (EventSource reconnects by itself and sends
 *   Last-Event-ID, so the server resumes after the last event this page saw).
 * - Applies each event idempotently: segments by seq, pins by id, phase state whole.
 * - Keyboard first: c/m/a/d pin the typed text (or the last line) as a constraint, metric,
 *   assumption or decision; n marks the next phase; u removes the last pin; t focuses the
 *   text box; s starts or stops speech capture. Inside the text box use Alt+the same key;
 *   Escape leaves it.
 * - "Keep on top": Document Picture-in-Picture where the browser has it, a popup otherwise.
 * - Speech capture: the Web Speech API's interim and final results are posted to the
 *   session's speech route (same ingest rules as the API: a final is stored once).
 */
(function () {
  "use strict";

  var cfg, root, doc = document, lines = {}, pins = {}, phaseState, skew = 0;
  var MAX_LINES = 6;
  var state = window.prepOverlay = { ids: [], opens: 0, posted: 0 };

  function $(sel) { return root.querySelector(sel); }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  function now() { return Date.now() + skew; }
  function say(text) { $("[data-testid=ov-msg]").textContent = text; }

  // --- Requests ------------------------------------------------------------------------------
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.getAttribute("data-csrf") },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.detail || ("HTTP " + response.status)); }
        return data;
      });
    });
  }

  // --- Rendering -----------------------------------------------------------------------------
  function renderLines() {
    var list = $("[data-testid=ov-lines]");
    var seqs = Object.keys(lines).map(Number).sort(function (a, b) { return a - b; }).slice(-MAX_LINES);
    list.textContent = "";
    seqs.forEach(function (seq) {
      var s = lines[seq], li = doc.createElement("li"), b = doc.createElement("b"), span = doc.createElement("span");
      li.setAttribute("data-seq", String(seq));
      if (!s.final) { li.className = "ov-line--interim"; }
      b.textContent = s.speaker;
      span.className = "ov-line__text";
      span.textContent = s.text;
      li.appendChild(b); li.appendChild(doc.createTextNode(" ")); li.appendChild(span);
      list.appendChild(li);
    });
  }

  function lastLine() {
    var seqs = Object.keys(lines).map(Number).sort(function (a, b) { return b - a; });
    for (var i = 0; i < seqs.length; i++) { if (lines[seqs[i]].final && lines[seqs[i]].text.trim()) { return lines[seqs[i]].text.trim(); } }
    return seqs.length ? lines[seqs[0]].text.trim() : "";
  }

  function renderPins() {
    var kinds = root.querySelectorAll("[data-kind]");
    for (var i = 0; i < kinds.length; i++) {
      var box = kinds[i], kind = box.getAttribute("data-kind"), list = box.querySelector("ul");
      var entries = Object.keys(pins).map(function (id) { return pins[id]; })
        .filter(function (p) { return p.kind === kind; })
        .sort(function (a, b) { return a.at_ms - b.at_ms || a.id - b.id; });
      list.textContent = "";
      entries.forEach(function (p) {
        var li = doc.createElement("li");
        li.setAttribute("data-pin", String(p.id));
        li.textContent = p.text;
        list.appendChild(li);
      });
      box.hidden = entries.length === 0;
    }
  }

  function renderPhase() {
    var badge = $("[data-testid=ov-phase]");
    badge.textContent = phaseState.phase || "no phase";
    badge.className = "ov-phase badge " + (phaseState.phase ? "badge--primary" : "badge--neutral");
    var covered = {};
    (phaseState.phases || []).forEach(function (p) { covered[p.phase] = true; });
    var left = (cfg.order || []).filter(function (p) { return !covered[p]; });
    $("[data-testid=ov-uncovered]").textContent = left.length ? "Not yet: " + left.join(" · ") : "";
    tick();
  }

  function tick() {
    var el = $("[data-testid=ov-timer]");
    if (!phaseState.phase || !phaseState.phase_started_at) { el.textContent = ""; return; }
    var elapsed = (cfg.active ? now() : phaseState.ended_at || now()) - phaseState.phase_started_at;
    var planned = (cfg.planned || {})[phaseState.phase];
    el.textContent = fmt(elapsed) + (planned ? " / " + planned + ":00" : "");
    el.classList.toggle("ov-timer--over", !!planned && elapsed > planned * 60000);
  }

  // --- Events ----------------------------------------------------------------------------------
  var handlers = {
    segments: function (data) {
      (data.segments || []).forEach(function (s) {
        lines[s.seq] = s;
        if (s.seq >= cfg.nextSeq) { cfg.nextSeq = s.seq + 1; }
      });
      renderLines();
    },
    pin: function (data) { pins[data.id] = data; renderPins(); },
    pin_deleted: function (data) { delete pins[data.id]; renderPins(); },
    phase: function (data) { phaseState = data; renderPhase(); },
    status: function (data) {
      if (data.status === "ended") {
        cfg.active = false;
        phaseState.ended_at = now();
        root.setAttribute("data-status", "ended");
        Object.keys(lines).forEach(function (seq) { if (!lines[seq].final) { delete lines[seq]; } });
        renderLines();
        stopSpeech();
        setStream("ended", false);
        if (source) { source.close(); }
      }
    }
  };

  var source = null;
  function setStream(text, on) {
    var el = $("[data-testid=ov-stream]");
    el.textContent = text;
    el.classList.toggle("ov-live--on", on);
  }

  function listen() {
    if (!window.EventSource || !cfg.active) { return; }
    source = new EventSource(cfg.events + "?after=" + encodeURIComponent(cfg.after));
    source.onopen = function () {
      state.opens += 1;
      root.setAttribute("data-stream-opens", String(state.opens));
      setStream("live", true);
    };
    source.onerror = function () { if (cfg.active) { setStream("reconnecting", false); } };
    Object.keys(handlers).forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var id = parseInt(event.lastEventId, 10);
        state.ids.push(id);
        root.setAttribute("data-last-event", String(id));
        handlers[kind](JSON.parse(event.data));
      });
    });
  }

  // --- Actions -----------------------------------------------------------------------------------
  var KINDS = { c: "constraint", m: "metric", a: "assumption", d: "decision" };

  function pin(kind) {
    var input = $("#ov-text"), typed = input.value, text = typed.trim() || lastLine();
    if (!text) { say("Nothing to pin yet: type something or wait for a line."); return; }
    // Empty the box now, not when the answer comes: what is typed meanwhile (the next pin)
    // must not be wiped by this one's answer. A refused pin gives its text back.
    if (typed) { input.value = ""; }
    post(cfg.urls.pin, { kind: kind, text: text }).then(function () {
      say("Pinned as " + kind + ".");
    }, function (err) {
      if (typed && !input.value) { input.value = typed; }
      say(err.message);
    });
  }

  function nextPhase() {
    post(cfg.urls.next, {}).then(function (data) { say("Now: " + data.phase + "."); }, function (err) { say(err.message); });
  }

  function undo() {
    post(cfg.urls.undo, {}).then(function (data) { say("Removed: " + data.text); }, function (err) { say(err.message); });
  }

  function onKey(event) {
    var inInput = event.target && event.target.id === "ov-text";
    var key = (event.key || "").toLowerCase();
    if (event.ctrlKey || event.metaKey) { return; }
    if (inInput) {
      if (key === "escape") { event.target.blur(); root.focus(); event.preventDefault(); return; }
      if (key === "enter") { event.preventDefault(); return; }
      if (!event.altKey) { return; }
    } else if (event.altKey) {
      // Alt+key works everywhere, so it is the same as the key
    }
    if (KINDS[key]) { event.preventDefault(); pin(KINDS[key]); }
    else if (key === "n") { event.preventDefault(); nextPhase(); }
    else if (key === "u") { event.preventDefault(); undo(); }
    else if (key === "s") { event.preventDefault(); toggleSpeech(); }
    else if ((key === "t" || key === "/") && !inInput) { event.preventDefault(); $("#ov-text").focus(); }
  }

  // --- Keep on top ---------------------------------------------------------------------------------
  function popOut() {
    var button = $("[data-ov-pop]");
    if (window.documentPictureInPicture) {
      button.textContent = "Keep on top";
      button.hidden = false;
      button.addEventListener("click", function () {
        window.documentPictureInPicture.requestWindow({ width: 320, height: 240 }).then(function (pip) {
          var links = document.querySelectorAll("link[rel=stylesheet]");
          for (var i = 0; i < links.length; i++) { pip.document.head.appendChild(links[i].cloneNode(true)); }
          pip.document.body.className = "ov-body";
          doc = pip.document;
          pip.document.body.appendChild(root);
          button.hidden = true;
          pip.document.addEventListener("keydown", onKey);
          root.focus();
          pip.addEventListener("pagehide", function () {
            doc = document;
            document.getElementById("overlay-home").appendChild(root);
            button.hidden = false;
          });
        }, function (err) { say(err.message); });
      });
    } else if (window.opener === null && window.name.indexOf("prep-overlay") !== 0) {
      button.textContent = "Pop out";
      button.hidden = false;
      button.addEventListener("click", function () {
        window.open(window.location.href, "prep-overlay-" + cfg.session, "popup,width=340,height=280");
      });
    }
  }

  // --- Speech capture (Web Speech API) ---------------------------------------------------------------
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var recogniser = null, wanted = false, base = 0, starts = {}, pending = {}, sending = false, backoff = 500;

  function speechStatus(text) { $("[data-testid=ov-speech]").textContent = text; }

  function queueResult(seq, text, final) {
    var t = Math.max(0, now() - cfg.sessionStart);
    if (starts[seq] === undefined) { starts[seq] = t; }
    var previous = pending[seq];
    if (previous && previous.final && !final) { return; }
    pending[seq] = { seq: seq, text: text, start_ms: starts[seq], end_ms: Math.max(t, starts[seq]), final: final };
    if (seq >= cfg.nextSeq) { cfg.nextSeq = seq + 1; }
    flush();
  }

  function flush() {
    if (sending) { return; }
    var batch = Object.keys(pending).map(function (k) { return pending[k]; }).slice(0, 50);
    if (!batch.length) { return; }
    batch.forEach(function (s) { delete pending[s.seq]; });
    sending = true;
    post(cfg.urls.speech, { segments: batch }).then(function () {
      sending = false; backoff = 500; state.posted += batch.length;
      root.setAttribute("data-posted", String(state.posted));
      flush();
    }, function (err) {
      sending = false;
      if (/ended|consent|differs/.test(err.message)) { speechStatus(err.message); return; }
      batch.forEach(function (s) { if (!pending[s.seq] || (s.final && !pending[s.seq].final)) { pending[s.seq] = s; } });
      window.setTimeout(flush, backoff);
      backoff = Math.min(backoff * 2, 10000);
    });
  }

  function startSpeech() {
    if (!Recognition || !cfg.active) { return; }
    if (!cfg.consent) { speechStatus("Recording this booking needs both people's consent."); return; }
    wanted = true;
    recogniser = new Recognition();
    recogniser.continuous = true;
    recogniser.interimResults = true;
    recogniser.lang = document.documentElement.lang === "en" ? "en-US" : document.documentElement.lang;
    base = cfg.nextSeq;
    recogniser.onresult = function (event) {
      for (var i = event.resultIndex; i < event.results.length; i++) {
        var result = event.results[i];
        queueResult(base + i, result[0].transcript, !!result.isFinal);
      }
    };
    recogniser.onerror = function (event) { speechStatus("Speech: " + (event.error || "error")); };
    recogniser.onend = function () {
      if (wanted && cfg.active) { startSpeech(); } else { speechStatus("Speech capture off (s to start)."); }
    };
    recogniser.start();
    root.setAttribute("data-speech", "on");
    speechStatus("Listening… (s to stop)");
  }

  function stopSpeech() {
    wanted = false;
    root.setAttribute("data-speech", "off");
    if (recogniser) { try { recogniser.stop(); } catch (e) { /* already stopped */ } }
  }

  function toggleSpeech() {
    if (!Recognition) { return; }
    if (wanted) { stopSpeech(); } else { startSpeech(); }
  }

  // --- Start ----------------------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("overlay");
    var node = document.getElementById("overlay-config");
    if (!root || !node) { return; }
    cfg = JSON.parse(node.textContent);
    skew = cfg.now - Date.now();
    phaseState = { phase: cfg.phase, phase_started_at: cfg.phaseStartedAt, phases: cfg.phases };
    var existing = root.querySelectorAll("[data-pin]");
    for (var i = 0; i < existing.length; i++) {
      var li = existing[i];
      pins[li.getAttribute("data-pin")] = {
        id: parseInt(li.getAttribute("data-pin"), 10),
        kind: li.closest("[data-kind]").getAttribute("data-kind"),
        text: li.textContent, at_ms: parseInt(li.getAttribute("data-at"), 10) || 0
      };
    }
    var shown = root.querySelectorAll("[data-testid=ov-lines] li");
    for (var j = 0; j < shown.length; j++) {
      var seq = parseInt(shown[j].getAttribute("data-seq"), 10);
      lines[seq] = {
        seq: seq, speaker: shown[j].querySelector("b").textContent,
        text: shown[j].querySelector(".ov-line__text").textContent,
        final: !shown[j].classList.contains("ov-line--interim")
      };
    }
    renderPhase();
    document.addEventListener("keydown", onKey);
    popOut();
    if (!Recognition) {
      speechStatus("Speech capture is not available in this browser: the overlay API and file upload still work.");
    } else if (cfg.active) {
      speechStatus("Speech capture off (s to start).");
    }
    root.setAttribute("data-ready", "");
    root.focus();
    listen();
    window.setInterval(tick, 1000);
  });
})();
