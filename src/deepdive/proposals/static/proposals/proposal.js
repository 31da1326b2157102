/* The proposal form, enhanced: a live word count, "Add a speaker", and autosave of drafts.
   Without JavaScript the form works as it is; the server decides in every case. */
(function () {
  "use strict";
  var form = document.getElementById("proposal-form");
  if (!form) return;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  /* The server's rule (wordcount.py): runs of characters between white space, where white
     space is exactly what Python's str.isspace() accepts (JavaScript's \s differs: it
     includes U+FEFF and leaves out U+001C-U+001F and U+0085). */
  var SPACE = "\\t\\n\\u000b\\f\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var TRIM = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  var RUNS = new RegExp("[" + SPACE + "]+");
  function countWords(text) {
    var stripped = (text || "").replace(TRIM, "");
    return stripped ? stripped.split(RUNS).length : 0;
  }

  var limit = parseInt(form.dataset.wordLimit, 10);
  var description = form.querySelector("textarea[name=description]");
  var counter = document.getElementById("description-count");
  function updateCount() {
    if (!description || !counter) return;
    var count = countWords(description.value);
    counter.textContent = fill(form.dataset.textWords, { count: count, limit: limit });
    counter.classList.toggle("over", count > limit);
  }
  if (description && counter) {
    description.setAttribute("aria-describedby",
      ((description.getAttribute("aria-describedby") || "") + " description-count").trim());
    description.addEventListener("input", updateCount);
    updateCount();
  }

  /* Add a speaker: clone the formset's empty form. */
  var template = document.getElementById("speaker-template");
  var rows = document.getElementById("speaker-rows");
  var total = form.querySelector("input[name=speakers-TOTAL_FORMS]");
  var addButton = document.getElementById("add-speaker");
  if (template && rows && total && addButton) {
    addButton.parentElement.hidden = false;
    var hint = form.querySelector("#speakers .no-js");
    if (hint) hint.hidden = true;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = document.getElementById("id_speakers-" + index + "-name");
      if (first) first.focus();
    });
  }

  /* Autosave of drafts, about three seconds after typing stops. */
  var status = document.getElementById("autosave-status");
  var timer = null;
  var saving = false;
  var again = false;
  function say(text) { if (status) status.textContent = text; }

  function autosave() {
    if (form.dataset.autosave !== "on") return;
    if (saving) { again = true; return; }
    saving = true;
    var data = new FormData(form);
    data.set("action", "draft");
    data.set("autosave", "1");
    say(form.dataset.textSaving);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return answer; });
    }).then(function (answer) {
      if (answer.ok) {
        var version = form.querySelector("input[name=version]");
        if (!version) {
          version = document.createElement("input");
          version.type = "hidden";
          version.name = "version";
          form.appendChild(version);
        }
        version.value = answer.version;
        if (form.dataset.autosaveUrl !== answer.autosave_url) {
          var token = form.querySelector("input[name=creation_token]");
          if (token) token.remove();
          form.dataset.autosaveUrl = answer.autosave_url;
          form.setAttribute("action", answer.edit_url);
          if (window.history && history.replaceState) history.replaceState(null, "", answer.edit_url);
        }
        say(fill(form.dataset.textSaved, { time: answer.saved_at }));
      } else {
        say(fill(form.dataset.textNotSaved, { reason: answer.message || "" }));
        if (answer.stop) form.dataset.autosave = "off";  /* a conflict or a closed call */
      }
    }).catch(function () {
      say(fill(form.dataset.textNotSaved, { reason: form.dataset.textOffline }));
    }).then(function () {
      saving = false;
      if (again) { again = false; schedule(); }
    });
  }
  function schedule() {
    if (form.dataset.autosave !== "on") return;
    clearTimeout(timer);
    timer = setTimeout(autosave, 3000);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    clearTimeout(timer);
    form.dataset.autosave = "off";
  });
})();
