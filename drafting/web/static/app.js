// The only script of the page: busy buttons while a form is sent, and the build progress bar.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  var busy = form.getAttribute("data-busy");
  if (!busy) return;
  var button = event.submitter || form.querySelector("button[type=submit]");
  if (button) {
    setTimeout(function () { button.disabled = true; button.textContent = busy; }, 0);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector(".progress-box[data-status]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var state = box.querySelector(".state");
  var count = box.querySelector(".count");
  function poll() {
    fetch(box.getAttribute("data-status"), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state === "done" || s.state === "failed" || s.error) { window.location.reload(); return; }
        state.textContent = s.label + "……";
        if (s.total) { bar.max = s.total; bar.value = s.done; count.textContent = s.done + " / " + s.total; }
        setTimeout(poll, 600);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
});
