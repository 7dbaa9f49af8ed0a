/* Check-ups (PHQ-9, GAD-7): PHQ-9 item 9 above 0 opens the safety panel the
 * moment the questionnaire is sent, from the form's own answers, so it shows
 * with or without a connection (the server's result opens it too, through
 * data-server-risk). The flow itself (one question per screen, the draft kept
 * on the phone) is assets/app.js's, shared with the guided exercises. */
(function () {
  "use strict";
  if (window.__skillsMeasures) return;
  window.__skillsMeasures = true;

  function itemNineAboveZero(form) {
    var picked = form.querySelector('input[name="item_9"]:checked');
    return Boolean(picked) && Number(picked.value) > 0;
  }

  function openRiskPanel() {
    var panel = document.getElementById("measure-risk");
    if (!panel) return;
    var first = panel.getAttribute("data-device-risk") !== "true";
    panel.setAttribute("data-device-risk", "true");
    if (first) {
      panel.scrollIntoView({ block: "start" });
      panel.focus({ preventScroll: true });
    }
  }

  // Bubble phase: app.js has already kept the draft and marked it as sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-measure") !== "phq9") {
      return;
    }
    if (itemNineAboveZero(form)) openRiskPanel();
  });

  // The server's result says so too (a result sent from another tab, or a reload).
  new MutationObserver(function () {
    var panel = document.getElementById("measure-risk");
    if (panel && panel.getAttribute("data-server-risk") === "true" &&
        !panel.hasAttribute("data-device-risk")) {
      openRiskPanel();
    }
  }).observe(document.documentElement, {
    subtree: true, attributes: true, attributeFilter: ["data-server-risk"],
  });
})();
