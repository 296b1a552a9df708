// The few texts this script writes come in the page's language from base.html (`#page-strings`,
// JSON); their `%(name)s` placeholders are filled here, and only ever set as text.
const pageStrings = (() => {
  const element = document.getElementById("page-strings");
  try {
    return element ? JSON.parse(element.textContent) : {};
  } catch {
    return {};
  }
})();
const say = (key, fallback, values) =>
  (pageStrings[key] || fallback).replace(/%(?:\((\w+)\)s|%)/g, (all, name) =>
    name === undefined ? "%" : String(values[name]),
  );
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
// A table wider than the screen scrolls inside its card; then it takes the keyboard focus too, so
// that it can be scrolled without a mouse, and is named by its caption.
const scrollers = () => {
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.replaceWith(box);
    box.appendChild(table);
  });
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) {
        const caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : say("table", "Table", {}));
      }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
};
// A field with a length limit says how much is used. The browser would cut pasted text at
// `maxlength` without a word, so the limit moves to the counter, which says when there is too much,
// and the server refuses it with a message (nothing is cut silently).
const counters = (root) => {
  root.querySelectorAll("textarea[maxlength], input[maxlength]").forEach((field) => {
    const limit = Number(field.getAttribute("maxlength"));
    if (field.dataset.counted || limit < 100) return;
    field.dataset.counted = "1";
    field.dataset.maxlength = limit;
    field.removeAttribute("maxlength");
    const note = document.createElement("div");
    note.className = "form-text";
    note.id = `${field.id || field.name}-count`;
    const show = () => {
      const count = field.value.length;
      const over = count - limit;
      const tooMany = "%(count)s of %(limit)s characters: %(over)s too many, shorten it before saving.";
      note.textContent =
        over > 0
          ? say(over === 1 ? "too_many_one" : "too_many_other", tooMany, { count, limit, over })
          : say("chars", "%(count)s of %(limit)s characters", { count, limit });
      note.classList.toggle("text-danger", over > 0);
      note.setAttribute("aria-live", over > -limit / 10 ? "polite" : "off");
    };
    field.setAttribute(
      "aria-describedby",
      `${field.getAttribute("aria-describedby") || ""} ${note.id}`.trim(),
    );
    field.insertAdjacentElement("afterend", note);
    field.addEventListener("input", show);
    show();
  });
};
// After a refused form, the summary of its problems takes the focus (and is read out).
const summary = document.querySelector(".error-summary");
if (summary) summary.focus();
scrollers();
counters(document);
window.addEventListener("resize", scrollers);
window.addEventListener("load", scrollers); // after fonts and images, widths are final
document.addEventListener("htmx:afterSwap", (event) => {
  scrollers();
  counters(event.target);
});
// A proposed time picked from a list (the slot picker: data-fill-date/-start/-end) fills the first
// option of the form whose date is empty (date1, date2, …), or the first one when all are filled,
// and says which, for a screen reader too.
document.addEventListener("click", (event) => {
  const pick = event.target.closest("[data-fill-date]");
  if (!pick) return;
  const dates = [...document.querySelectorAll("input[name^=date]")].filter((f) => /^date\d+$/.test(f.name));
  if (!dates.length) return;
  const target = dates.find((f) => !f.value) || dates[0];
  const n = target.name.slice(4);
  const form = target.form;
  target.value = pick.dataset.fillDate;
  form.querySelector(`[name=start${n}]`).value = pick.dataset.fillStart;
  form.querySelector(`[name=end${n}]`).value = pick.dataset.fillEnd;
  pick.classList.add("active");
  pick.setAttribute("aria-pressed", "true");
  const said = document.getElementById("slot-picked");
  const time = pick.getAttribute("aria-label") || pick.textContent;
  if (said) said.textContent = say("option", "Option %(n)s: %(time)s", { n, time });
});
