// While an editor types a claim's quote, the claims already here that say the same thing
// appear beside it, with their status and score (ClaimAdmin.suggestions_view), so a claim
// said again is recorded as an appearance of the existing one rather than entered twice.
// htmx asks once the typing pauses; a newer request replaces one still running.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const quote = document.getElementById("id_quote");
  if (!quote || !quote.dataset.suggestionsUrl || !window.htmx) {
    return;
  }
  const box = document.createElement("div");
  box.id = "quote-suggestions";
  box.className = "quote-suggestions";
  box.setAttribute("aria-live", "polite");
  quote.insertAdjacentElement("afterend", box);
  quote.setAttribute("hx-get", quote.dataset.suggestionsUrl);
  quote.setAttribute("hx-trigger", "load, input changed delay:400ms");
  quote.setAttribute("hx-target", "#quote-suggestions");
  quote.setAttribute("hx-sync", "this:replace");
  window.htmx.process(quote);
});
