// Keeps the interview readable after each htmx swap: newest message in view, focus back on the answer box,
// and every form told which messages the page already shows (so the server sends only new ones).
(function () {
  function lastId() {
    var items = document.querySelectorAll("#transcript > li[data-id]");
    return items.length ? items[items.length - 1].getAttribute("data-id") : "0";
  }
  function refresh() {
    var id = lastId();
    document.querySelectorAll("input.after").forEach(function (input) { input.value = id; });
    var transcript = document.getElementById("transcript");
    if (transcript) { transcript.lastElementChild && transcript.lastElementChild.scrollIntoView({block: "nearest"}); }
    var input = document.getElementById("answer-input");
    if (input) { input.focus(); }
  }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
})();
