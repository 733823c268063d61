// A background job's page: while the job runs, fetch the same page every 3 seconds and swap in
// its #job-progress block (no meta refresh); stop once the fetched block says it is finished.
(function () {
  "use strict";
  function running() {
    var block = document.getElementById("job-progress");
    return block && block.hasAttribute("data-running");
  }
  function refresh() {
    if (!running()) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        if (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-progress");
          if (fresh) { document.getElementById("job-progress").replaceWith(fresh); }
        }
        window.setTimeout(refresh, 3000);
      })
      .catch(function () { window.setTimeout(refresh, 3000); });
  }
  window.setTimeout(refresh, 3000);
})();
