// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.review")) {
    const state = form.querySelector("select[name=state]");
    const reason = form.querySelector("input[name=reason]");
    const sync = () => { reason.required = state.value === "false_positive"; };
    state.addEventListener("change", sync);
    sync();
  }
});
