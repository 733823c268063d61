// 大屏: fetch the same page every data-refresh seconds and swap in its <main> (no flash, no
// meta refresh, which screen readers announce as a surprise). On any failure keep the figures
// shown and try again next time; the session ending sends the login page, so reload then.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-refresh"), 10) || 60;
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          if (response.redirected) { window.location.reload(); }
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main");
        var stamp = doc.querySelector("#screen-updated");
        if (fresh) { document.querySelector("main").replaceWith(fresh); }
        if (stamp) { document.querySelector("#screen-updated").replaceWith(stamp); }
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
  var full = document.getElementById("screen-full");
  if (full && document.documentElement.requestFullscreen) {
    full.addEventListener("click", function () { document.documentElement.requestFullscreen(); });
  } else if (full) {
    full.hidden = true;
  }
})();
