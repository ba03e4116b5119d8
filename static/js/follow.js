/* Follow the tail of a growing list, unless the reader scrolled up.
 *
 * Any scroll container marked data-follow-tail keeps its newest line in view as children
 * are added (whatever adds them: the htmx poll today, server-sent events tomorrow), as long
 * as the reader was at the bottom when they arrived; someone who scrolled up to re-read is
 * left where they are until they scroll back down. Reusable from other scripts:
 * window.Prep.followTail(element) returns {isFollowing(), scrollToEnd()}.
 */
(function () {
  "use strict";

  var SLACK = 24; // px from the bottom that still counts as "at the bottom"

  function atBottom(el) {
    return el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK;
  }

  function followTail(el) {
    if (el.prepFollow) { return el.prepFollow; }
    var following = true;
    function scrollToEnd() { el.scrollTop = el.scrollHeight; }
    el.addEventListener("scroll", function () { following = atBottom(el); }, { passive: true });
    new MutationObserver(function () {
      if (following) { scrollToEnd(); }
      el.setAttribute("data-following", following ? "true" : "false");
    }).observe(el, { childList: true, subtree: true });
    scrollToEnd();
    el.prepFollow = { isFollowing: function () { return following; }, scrollToEnd: scrollToEnd };
    return el.prepFollow;
  }

  function attachAll() {
    var lists = document.querySelectorAll("[data-follow-tail]");
    for (var i = 0; i < lists.length; i++) { followTail(lists[i]); }
  }

  window.Prep = window.Prep || {};
  window.Prep.followTail = followTail;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
  document.addEventListener("htmx:afterSettle", attachAll);
})();
