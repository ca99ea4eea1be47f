// The dossier page's Print button (progressive enhancement: without JavaScript the PDF link
// does the job). Every print of the page, from the button or the browser's menu, is sent to
// the audit trail before the page goes to paper.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-print-form]");
  if (!form) { return; }
  var button = form.querySelector("[data-print]");
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
  window.addEventListener("beforeprint", function () {
    if (navigator.sendBeacon) { navigator.sendBeacon(form.action, new FormData(form)); }
  });
});
