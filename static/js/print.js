// A page's "Print" button (data-print): shown only where JavaScript runs (it could do nothing
// without it), it opens the browser's print dialog; the page's print CSS does the rest. A file of
// its own because the CSP allows no inline script.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
