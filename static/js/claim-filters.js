/* The claim list's filter form after Back or Forward.

   htmx restores the page from its history cache, a copy of its HTML; what a reader chose in
   a field is not part of that HTML, so the form would show the choices of the page as first
   loaded, beside results for other ones. The address holds the filters of the results shown
   (and only those: claims.views.claim_list), so the form is set from it. */
document.addEventListener("htmx:historyRestore", function () {
  var form = document.getElementById("claim-filters");
  if (!form) {
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var filtered = false;
  Array.prototype.forEach.call(form.elements, function (field) {
    if (!field.name) {
      return;
    }
    field.value = params.get(field.name) || "";
    filtered = filtered || (field.name !== "q" && field.value !== "");
  });
  var more = form.querySelector("details");
  if (more && filtered) {
    more.open = true;
  }
});
