// Behaviour that templates ask for with data- attributes (the CSP forbids inline scripts).
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-confirm]");
  if (trigger && !window.confirm(trigger.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
// A field meant for one role only (data-shown-for-role="mentor") shows while its form's role
// select says that role; hidden, it is also disabled, so a value typed before is not sent.
// Without JavaScript the field stays visible and its help text says whom it is for.
const showForRole = (form) => {
  const role = form.querySelector("select[name=role]");
  if (!role) return;
  form.querySelectorAll("[data-shown-for-role]").forEach((wrapper) => {
    const shown = role.value === wrapper.dataset.shownForRole;
    wrapper.hidden = !shown;
    wrapper.querySelectorAll("input, select, textarea").forEach((field) => {
      field.disabled = !shown;
    });
  });
};
document.querySelectorAll("form").forEach((form) => {
  if (form.querySelector("[data-shown-for-role]")) showForRole(form);
});
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=role]") && event.target.form) {
    showForRole(event.target.form);
  }
});
