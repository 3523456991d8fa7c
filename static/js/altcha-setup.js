// The ALTCHA widget's external build (static/vendor/altcha-*/altcha.min.js) brings no workers,
// so that no script is made from a string (the Content-Security-Policy allows neither inline
// scripts nor blob: workers). Register the one algorithm the server issues (SHA-256,
// reader_requests/spam.py) with the worker file the page names on the widget.
const widget = document.querySelector("altcha-widget[data-worker]");
if (widget) {
  globalThis.$altcha.algorithms.set("SHA-256", () => new Worker(widget.dataset.worker));
}
