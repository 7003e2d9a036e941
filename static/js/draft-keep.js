// Keeps what an exporter typed into a draft's step form but has not saved yet, in this tab's session storage,
// and puts it back when they return to the step (after following a link away, the back button, a reload).
// A form opts in with data-keep="<name>". What is kept is tied to the values the server rendered: if those
// changed since (the step was saved, or a colleague changed it), the kept input is stale and dropped, so it
// never overwrites newer data. Submitting the form clears it: from then on the server holds the input, or
// shows it back with its errors. Without JavaScript nothing is kept; the step's buttons still save first.
(function () {
  "use strict";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      // Hidden fields (the CSRF token, the draft's version, a line's id) come from the server: saving another
      // step bumps the version, which must neither make kept input stale nor be put back old.
      return el.name && ["hidden", "file", "submit", "button"].indexOf(el.type) === -1;
    });
  }

  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        values[el.name] = el.checked;
      } else if (el.type === "radio") {
        if (el.checked) values[el.name] = el.value;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      if (el.type === "checkbox") {
        el.checked = Boolean(values[el.name]);
      } else if (el.type === "radio") {
        el.checked = el.value === values[el.name];
      } else {
        el.value = values[el.name];
      }
    });
  }

  function keep(form) {
    var key = "draft-keep:" + window.location.pathname + window.location.search + ":" + form.getAttribute("data-keep");
    var base = JSON.stringify(snapshot(form));
    var notice = form.querySelector("[data-keep-notice]");
    var stored = null;
    try {
      stored = JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      stored = null;
    }
    if (stored && stored.base === base) {
      restore(form, stored.values);
      if (notice) notice.hidden = false;
    } else if (stored) {
      window.sessionStorage.removeItem(key);
    }

    function save() {
      var values = snapshot(form);
      if (JSON.stringify(values) === base) {
        window.sessionStorage.removeItem(key);
      } else {
        window.sessionStorage.setItem(key, JSON.stringify({ base: base, values: values }));
      }
    }

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      window.sessionStorage.removeItem(key);
    });
    // "Save and continue" sits outside the form (form="..."): its submit event still fires on the form.
    var discard = form.querySelector("[data-keep-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        window.sessionStorage.removeItem(key);
        restore(form, JSON.parse(base));
        if (notice) notice.hidden = true;
      });
    }
  }

  function start() {
    if (!window.sessionStorage) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep]"), keep);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
