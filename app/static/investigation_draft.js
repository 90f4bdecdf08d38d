// Saves the investigation as it is typed, so that a closed tab or a lost connection costs at
// most the last few seconds. The form itself is unchanged: without this file it is saved with
// its buttons, as before. The draft is posted to the form's own action with the form's fields
// (its CSRF token and the case version included), asking for JSON; the server saves it through
// the same operation as the button and answers the new case version, which is written back so
// that the next save, by hand or by draft, is not refused as stale.
(function () {
  "use strict";

  var DELAY_MS = 1500;
  var form = document.getElementById("utredningsformular");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector("[data-draft-status]");
  var version = form.querySelector('input[name="expected_version"]');
  var timer = null;
  var inFlight = false;
  var typedAgain = false;
  var waitingSubmitter = null;

  function say(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function finished() {
    inFlight = false;
    if (waitingSubmitter !== null) {
      // A button was pressed while a draft was on its way: submit now, with the new version.
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      form.requestSubmit(submitter === true ? undefined : submitter);
    } else if (typedAgain) {
      typedAgain = false;
      schedule();
    }
  }

  function save() {
    timer = null;
    if (inFlight) {
      typedAgain = true;
      return;
    }
    inFlight = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok && version && body.version !== undefined) {
            version.value = String(body.version);
          }
          say(body.message);
        });
      })
      .catch(function () {
        // Not saved as a draft; the buttons still save everything.
      })
      .then(finished);
  }

  function schedule() {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inFlight) {
      event.preventDefault();
      waitingSubmitter = event.submitter || true;
    }
  });
})();
