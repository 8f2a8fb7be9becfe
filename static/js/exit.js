/* Quick exit: leave for a neutral site and replace this page in the history. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) return;
  function leave(e) {
    if (e) e.preventDefault();
    document.body.textContent = "";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && e.shiftKey) leave(e); // Shift+Esc leaves from anywhere
  });
})();
