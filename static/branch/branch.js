/* Secretary pages: small progressive enhancements, no inline handlers (the CSP allows only
   scripts from our own origin). Everything works without JavaScript too. */
(function () {
  // Changing the meeting kind (or party group) reloads the form with the right attendance list.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A double tap must not send the meeting twice (the server deduplicates as well).
  var form = document.getElementById("meetingform");
  var save = document.getElementById("save");
  if (form && save) {
    form.addEventListener("submit", function () { setTimeout(function () { save.disabled = true; }, 0); });
  }
  // The calendar address is selected on tap so it can be copied.
  document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
    input.addEventListener("click", function () { input.select(); });
  });
})();
