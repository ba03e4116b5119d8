// Booking: the availability form shows the weekday for weekly windows and the date for
// one-off windows. Without JavaScript both fields stay visible and the server decides.
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector('input[name="repeat"]:checked');
    var repeat = checked ? checked.value : "weekly";
    form.querySelectorAll("[data-repeat]").forEach(function (el) {
      el.hidden = el.getAttribute("data-repeat") !== repeat;
    });
  }
  function init() {
    document.querySelectorAll("[data-window-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === "repeat") sync(form);
      });
    });
    document.querySelectorAll("[data-copy]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
