/* The time-zone picker's search by city (skills_app/components/time_zone.py).
 *
 * Typing two letters or more lists up to 8 places of the select whose label
 * holds them (accents and case ignored) as buttons; a tap chooses that place in
 * the select and says so. Nothing is sent anywhere: the list is the page's own.
 * Works by event delegation, so pages rendered later are covered too. */
(function () {
  var MAX = 8;

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function resultsFor(input) {
    return document.getElementById(input.id.replace(/-search$/, "-results"));
  }

  function say(box, words) {
    var line = document.createElement("p");
    line.className = "field-hint";
    line.textContent = words;
    box.appendChild(line);
  }

  function choose(input, select, option) {
    var box = resultsFor(input);
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    input.value = "";
    box.textContent = "";
    say(box, (input.getAttribute("data-zone-chosen") || "{place}").replace("{place}", option.text));
    select.focus();
  }

  function search(input) {
    var select = document.getElementById(input.getAttribute("data-zone-search"));
    var box = resultsFor(input);
    if (!select || !box) return;
    box.textContent = "";
    var wanted = plain(input.value.trim());
    if (wanted.length < 2) return;
    var seen = {};
    var found = 0;
    for (var i = 0; i < select.options.length && found < MAX; i++) {
      var option = select.options[i];
      if (!option.value || seen[option.value] || plain(option.text).indexOf(wanted) < 0) continue;
      seen[option.value] = true;
      found += 1;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "zone-result";
      button.textContent = option.text;
      button.addEventListener("click", choose.bind(null, input, select, option));
      box.appendChild(button);
    }
    if (!found) say(box, input.getAttribute("data-zone-none") || "");
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[data-zone-search]")) search(input);
  });
  // Enter in the search box chooses the first match instead of sending the form.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input || !input.matches
        || !input.matches("input[data-zone-search]")) return;
    event.preventDefault();
    var first = resultsFor(input) && resultsFor(input).querySelector("button.zone-result");
    if (first) first.click();
  });
})();
