// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
});

// Length limits (core/renderers.py): fields carry data-maxlength instead of the browser's
// maxlength, which cuts typing and pasting silently. Near the limit a counter shows how much is
// left; past it, the message the server would give. Nothing typed is ever cut.
(function () {
  function length(el) {
    // As the server counts: characters, not UTF-16 units; a textarea's line breaks are sent as
    // two characters (CR LF).
    var value = el.value;
    var n = Array.from(value).length;
    if (el.tagName === "TEXTAREA") { n += (value.match(/\n/g) || []).length; }
    return n;
  }
  function counter(el) {
    // A hand-written maxlength (a few small forms) gets the counter too.
    var limit = parseInt(el.getAttribute("data-maxlength") || el.getAttribute("maxlength"), 10);
    if (!limit || el.type === "hidden") { return; }
    var out = document.createElement("div");
    out.className = "form-text char-count";
    out.setAttribute("aria-live", "polite");
    out.id = (el.id || el.name) + "_count";
    out.hidden = true;
    el.insertAdjacentElement("afterend", out);
    function update() {
      var n = length(el);
      var over = n > limit;
      out.hidden = n < limit * 0.8;
      out.classList.toggle("text-danger", over);
      out.classList.toggle("fw-semibold", over);
      out.textContent = over
        ? el.getAttribute("data-too-long").replace("{typed}", String(n))
        : n + " / " + limit;
      if (over) { el.setAttribute("aria-invalid", "true"); }
      else if (!el.hasAttribute("data-server-invalid")) { el.removeAttribute("aria-invalid"); }
    }
    if (el.getAttribute("aria-invalid") === "true") { el.setAttribute("data-server-invalid", ""); }
    var described = el.getAttribute("aria-describedby");
    el.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
    el.addEventListener("input", update);
    update();
  }

  // A date input holding something that is no date (31/02/2001) sends nothing, so the server
  // cannot say what is wrong: say it here, and keep the form (and what was typed) on the page.
  function dateMessage(el, show) {
    var id = (el.id || el.name) + "_not_a_date";
    var box = document.getElementById(id);
    if (!show) {
      if (box) { box.remove(); el.classList.remove("is-invalid"); }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "invalid-feedback d-block";
      box.setAttribute("role", "alert");
      box.textContent = el.getAttribute("data-not-a-date");
      el.insertAdjacentElement("afterend", box);
    }
    el.classList.add("is-invalid");
  }
  function checkDate(el) {
    if (el.hasAttribute("data-not-a-date")) { dateMessage(el, el.validity.badInput); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(
      "input[data-maxlength], textarea[data-maxlength], input[maxlength], textarea[maxlength]"
    ).forEach(counter);
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("input[type=date]")) { checkDate(ev.target); }
  });
  document.addEventListener("focusout", function (ev) {
    if (ev.target.matches && ev.target.matches("input[type=date]")) { checkDate(ev.target); }
  });
  document.addEventListener("submit", function (ev) {
    var bad = Array.prototype.filter.call(
      ev.target.querySelectorAll("input[type=date][data-not-a-date]"),
      function (el) { return el.validity.badInput; }
    );
    bad.forEach(function (el) { dateMessage(el, true); });
    if (bad.length) {
      ev.preventDefault();
      ev.stopPropagation();
      bad[0].focus();
    }
  }, true);
  // A form marked data-submit-once is sent once: a second click would replace the answer to
  // the first, which may be the only place a one-time password is shown.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || !form.matches || !form.matches("form[data-submit-once]")) { return; }
    if (form.dataset.sent) { ev.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
