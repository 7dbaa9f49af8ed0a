/* The diary card's folds (details[data-section] in a form kept as a draft).
 *
 * Each fold's title carries one line of what is filled in it (Sadness 3,
 * Fear 2; or the skills ticked), written here from the form's own fields, so
 * a folded section still shows its answers. Opening a fold closes the other
 * folds beside it that already hold answers: their titles say what they hold,
 * and the card stays about two screens long on a phone. Without this script
 * the folds still open and close (native <details>) and nothing is lost.
 *
 * Self-contained: it reads the page and never writes a field, so app.js's
 * drafts (restore, section memory, confirm) work as they do without it.
 */
(function () {
  var VALUE_MAX = 24;

  function textOf(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  function shortened(value) {
    value = value.replace(/\s+/g, " ").trim();
    return value.length > VALUE_MAX ? value.slice(0, VALUE_MAX - 1) + "…" : value;
  }

  /* The name of a rated item: its label, or for a row the patient names today,
   * the name they typed (blank: the row's own label). */
  function scaleName(scale) {
    var label = scale.querySelector(".scale-label");
    if (label) return textOf(label);
    var row = scale.closest(".custom-item");
    var typed = row && row.querySelector("[data-fold-name]");
    if (typed && typed.value.trim()) return shortened(typed.value);
    var group = scale.querySelector("[role=radiogroup]");
    var by = group && document.getElementById(group.getAttribute("aria-labelledby"));
    return textOf(by);
  }

  function ratedParts(section, acted) {
    var parts = [];
    section.querySelectorAll(".scale").forEach(function (scale) {
      var checked = scale.querySelector("[role=radiogroup] input:checked");
      var didIt = scale.querySelector("[data-fold-acted] input:checked");
      if (!checked && !didIt) return;
      var part = scaleName(scale);
      if (checked) part += " " + textOf(checked.closest("label"));
      if (didIt) part += " · " + acted;
      parts.push(part);
    });
    return parts;
  }

  /* Skills: each ticked one by its name (its box is named by that element). */
  function tickedParts(section) {
    var parts = [];
    section.querySelectorAll(".check-with-hint").forEach(function (skill) {
      var box = skill.querySelector("input:checked");
      if (box) parts.push(textOf(document.getElementById(box.getAttribute("aria-labelledby"))));
    });
    return parts;
  }

  function typedParts(section) {
    var parts = [];
    section.querySelectorAll(".field").forEach(function (field) {
      var input = field.querySelector("input:not([type=hidden]):not([type=radio])" +
                                      ":not([type=checkbox]), textarea");
      if (!input || !input.value.trim()) return;
      var label = textOf(field.querySelector(".field-label"));
      // A note stays out of the title: it is private, and long.
      parts.push(input.tagName === "TEXTAREA" ? label : label + " " + shortened(input.value));
    });
    return parts;
  }

  function summaryOf(section) {
    var acted = section.getAttribute("data-fold-acted-word") || "";
    return ratedParts(section, acted).concat(tickedParts(section), typedParts(section)).join(", ");
  }

  function ownLine(section) {
    return section.querySelector(":scope > summary [data-fold-summary]");
  }

  function updateFolds() {
    document.querySelectorAll("form[data-draft] details[data-section]").forEach(function (section) {
      var line = ownLine(section);
      if (!line) return;
      var summary = summaryOf(section);
      if (line.textContent !== summary) line.textContent = summary;
      section.toggleAttribute("data-filled", summary !== "");
    });
  }

  var queued = false;
  function queueUpdate() {
    if (queued) return;
    queued = true;
    // After app.js has restored a draft (its own animation-frame callback runs first).
    requestAnimationFrame(function () {
      setTimeout(function () { queued = false; updateFolds(); }, 0);
    });
  }

  function closeFilledNeighbours(opening) {
    var summary = opening.querySelector(":scope > summary");
    var before = summary.getBoundingClientRect().top;
    var closed = false;
    Array.prototype.forEach.call(opening.parentElement.children, function (other) {
      if (other === opening || other.tagName !== "DETAILS" || !other.open ||
          !other.hasAttribute("data-section") || !other.hasAttribute("data-filled")) return;
      other.setAttribute("data-folded-for-space", "");
      other.open = false;
      closed = true;
    });
    // Keep the tapped title under the thumb when folds above it close: once it is
    // open (the browser opens it after this click), before the next paint.
    if (closed) requestAnimationFrame(function () {
      window.scrollBy(0, summary.getBoundingClientRect().top - before);
    });
  }

  document.addEventListener("click", function (event) {
    var summary = event.target instanceof Element && event.target.closest("summary");
    var section = summary && summary.parentElement;
    if (!section || section.open || !section.hasAttribute("data-section") ||
        !section.closest("form[data-draft]")) return;
    updateFolds();
    closeFilledNeighbours(section);
  });
  document.addEventListener("click", function (event) {
    // A Clear button (app.js empties its scale in its own click handler).
    if (event.target instanceof Element && event.target.closest("[data-clear]")) queueUpdate();
  });
  // A fold closed here to make room is not one the patient closed: app.js's
  // memory of open sections (a listener on the document) never hears of it.
  window.addEventListener("toggle", function (event) {
    var section = event.target;
    if (!(section instanceof Element) || !section.hasAttribute("data-folded-for-space")) return;
    section.removeAttribute("data-folded-for-space");
    event.stopPropagation();
    queueUpdate();
  }, true);
  document.addEventListener("input", queueUpdate);
  document.addEventListener("change", queueUpdate);
  document.addEventListener("toggle", queueUpdate, true);
  document.addEventListener("DOMContentLoaded", queueUpdate);
  new MutationObserver(queueUpdate).observe(document.documentElement,
                                            {childList: true, subtree: true});
})();
