// Screening interview, progressive enhancement only: the pages work without JavaScript (each
// step posts its answers and the server saves the draft). With JavaScript, every answer chosen
// is also kept in this tab's sessionStorage until the server confirms it holds it, so a
// dropped connection, a failed post or a reloaded page loses nothing; while offline, a step is
// not sent (the page stays as it is) and a message says to press again later.
(function () {
  "use strict";
  var PREFIX = "himaya.screening.";

  function read(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function write(key, value) {
    try {
      if (Object.keys(value).length) {
        window.sessionStorage.setItem(key, JSON.stringify(value));
      } else {
        window.sessionStorage.removeItem(key);
      }
    } catch (e) { /* storage full or refused: the server-side draft still works */ }
  }

  // What the server rendered for a question: the checked radio, or the carried hidden input.
  function serverValue(form, name) {
    var fields = form.elements.namedItem(name);
    if (!fields) { return null; }
    if (fields.type === "hidden") { return fields.value; }
    var list = fields.length !== undefined ? fields : [fields];
    for (var i = 0; i < list.length; i++) {
      if (list[i].checked) { return list[i].value; }
    }
    return null;
  }

  function restore(form, name, value) {
    var fields = form.elements.namedItem(name);
    if (!fields) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      input.setAttribute("data-answer", "");
      form.appendChild(input);
      return;
    }
    if (fields.type === "hidden") { fields.value = value; return; }
    var list = fields.length !== undefined ? fields : [fields];
    for (var i = 0; i < list.length; i++) {
      if (list[i].value === value) { list[i].checked = true; }
    }
  }

  function setUp(form) {
    var key = PREFIX + form.getAttribute("data-screening-step");
    var kept = read(key);
    Object.keys(kept).forEach(function (name) {
      if (serverValue(form, name) === kept[name]) {
        delete kept[name]; // the server has it
      } else {
        restore(form, name, kept[name]);
      }
    });
    write(key, kept);
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.type === "radio" && target.checked) {
        var now = read(key);
        now[target.name] = target.value;
        write(key, now);
      }
    });
    var alert = document.querySelector("[data-offline-alert]");
    form.addEventListener("submit", function (event) {
      if (navigator.onLine === false) {
        event.preventDefault();
        if (alert) {
          alert.classList.remove("d-none");
          alert.focus();
        }
      } else if (alert) {
        alert.classList.add("d-none");
      }
    });
    window.addEventListener("online", function () {
      if (alert) { alert.classList.add("d-none"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-screening-step]").forEach(setUp);
    // A submitted screening's page: nothing of it needs keeping any more.
    document.querySelectorAll("[data-screening-done]").forEach(function (el) {
      try {
        window.sessionStorage.removeItem(PREFIX + el.getAttribute("data-screening-done"));
      } catch (e) { /* nothing kept */ }
    });
  });
}());
