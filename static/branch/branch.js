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
  // 全部出席: mark every member of the checklist present (the secretary then changes the few
  // who were excused or absent). Nobody is marked before the secretary says so.
  var allPresent = document.getElementById("all-present");
  if (allPresent) {
    allPresent.addEventListener("click", function () {
      document.querySelectorAll("ul.attendance input[type=radio][value=present]").forEach(function (radio) {
        radio.checked = true;
      });
    });
  }
  // The calendar address is selected on tap so it can be copied.
  document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
    input.addEventListener("click", function () { input.select(); });
  });
})();
