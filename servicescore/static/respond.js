// Survey pages without a reload: follow-up questions appear as their condition is met (the server decides the
// same way when the page is sent), text fields count characters, and a double tap sends a page once.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) { return; }

  function answer(name) {
    var box = form.querySelector('[data-item="' + name + '"]');
    if (!box || box.hidden) { return null; }
    var kind = box.getAttribute("data-kind");
    var chosen = [];
    box.querySelectorAll("input, textarea").forEach(function (field) {
      if (field.name !== name || field.disabled) { return; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      if (field.value !== "") { chosen.push(field.value); }
    });
    if (!chosen.length || chosen[0] === "na") { return null; }
    if (kind === "yes_no") { return chosen[0] === "yes"; }
    if (kind === "rating" || kind === "nps" || kind === "number" || kind === "duration") {
      var number = Number(chosen[0].replace(",", "."));
      return isNaN(number) ? null : number;
    }
    return box.querySelector("input[type=checkbox]") ? chosen : chosen[0];
  }

  function matches(value, expected) {
    if (Array.isArray(value)) { return value.some(function (v) { return matches(v, expected); }); }
    if ((typeof value === "boolean") !== (typeof expected === "boolean")) { return false; }
    return value === expected;
  }

  function holds(condition) {
    var value = answer(condition.item);
    if (value === null) { return false; }
    if ("equals" in condition) { return matches(value, condition.equals); }
    if ("in" in condition) { return condition["in"].some(function (e) { return matches(value, e); }); }
    if (typeof value !== "number") { return false; }
    if ("at_most" in condition && value > condition.at_most) { return false; }
    return !("at_least" in condition && value < condition.at_least);
  }

  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var show = holds(JSON.parse(box.getAttribute("data-show-if")));
      box.hidden = !show;
      box.querySelectorAll("input, textarea").forEach(function (field) { field.disabled = !show; });
    });
  }

  function count(field) {
    var out = form.querySelector('[data-counter-for="' + field.id + '"]');
    var lang = document.documentElement.lang;
    if (out) { out.textContent = "(" + field.value.length.toLocaleString(lang) + " / " + field.maxLength.toLocaleString(lang) + ")"; }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { count(event.target); }
  });
  form.querySelectorAll("textarea").forEach(count);
  update();

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    // A page left open (back button, bfcache) must be sendable again.
    window.setTimeout(function () { sending = false; }, 8000);
  });
  window.addEventListener("pageshow", function () { sending = false; });
}());
