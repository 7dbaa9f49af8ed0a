/* Check-ups (PHQ-9, GAD-7): the risk prompt after PHQ-9 item 9, decided on the
 * phone. When the questionnaire is sent, item 9's answer goes to
 * window.skillsSafety.showRisk (assets/safety.js, with core/risk.py's table):
 * above 0 shows the crisis lines and the safety plan at once, with or without a
 * connection. The server's result carries the stored answer (data-risk-values)
 * and does the same, for a result that arrives without this page's submit (sent
 * again after a reload or a sign-in). The flow itself (one question per screen,
 * the draft kept on the phone) is assets/app.js's, shared with the exercises. */
(function () {
  "use strict";
  if (window.__skillsMeasures) return;
  window.__skillsMeasures = true;

  function showRisk(values) {
    if (window.skillsSafety) window.skillsSafety.showRisk(values);
  }

  // Capture on window, like safety.js: before React's handler and whatever
  // app.js does next (an offline phone keeps the form pending).
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-measure") !== "phq9" ||
        form.dataset.retrying) {
      return;
    }
    var picked = form.querySelector('input[name="item_9"]:checked');
    showRisk({ phq9_item9: picked ? picked.value : "" });
  }, true);

  var shownFor = "";
  new MutationObserver(function () {
    var result = document.querySelector("#measure-result[data-risk-values]");
    var values = result ? result.getAttribute("data-risk-values") : "";
    if (!values || values === shownFor) return;
    shownFor = values;
    var box = document.getElementById("risk-prompt");
    if (box && !box.hidden) return; // already shown when the form was sent
    try { showRisk(JSON.parse(values)); } catch (e) { /* not ours to break */ }
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-risk-values"],
  });
})();
