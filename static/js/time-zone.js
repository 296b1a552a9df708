// The onboarding form's time zone (a select with data-browser-zone) starts at the browser's own
// zone when the list has it. Without JavaScript the server's guess stays selected: the person's
// program's zone, or the server's.
document.querySelectorAll("select[data-browser-zone]").forEach((select) => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  if ([...select.options].some((option) => option.value === zone)) select.value = zone;
});
