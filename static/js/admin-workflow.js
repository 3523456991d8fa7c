// The workflow buttons on a claim's admin page post the claim as it was last saved, not
// the form's unsaved edits (templates/admin/claims/claim/submit_line.html). Once the editor
// changes anything, hold the buttons and say why, so that no edit is lost unnoticed.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("claim_form");
  const steps = document.querySelectorAll(".workflow-step");
  const hint = document.getElementById("workflow-hint");
  if (!form || !steps.length) {
    return;
  }
  const hold = () => {
    steps.forEach((button) => {
      button.disabled = true;
    });
    if (hint) {
      hint.hidden = false;
    }
  };
  form.addEventListener("input", hold, { once: true });
  form.addEventListener("change", hold, { once: true });
  // An autocomplete field (select2) announces a person's choice with its own jQuery
  // events only (its jQuery "change" also fires as it starts up, which is no edit).
  if (window.django && window.django.jQuery) {
    window.django.jQuery(form).one("select2:select select2:unselect", hold);
  }
});
