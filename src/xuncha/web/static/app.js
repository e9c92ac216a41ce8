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

// Inspection progress (/inspections/{id}): poll the JSON form of the page and update the
// numbers in place; once the inspection is no longer running, reload for the results.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("#progress[data-poll]");
  if (!box) return;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const tick = async () => {
    let data;
    try {
      const resp = await fetch(box.dataset.poll, {headers: {Accept: "application/json"}, credentials: "same-origin"});
      if (!resp.ok) return setTimeout(tick, 5000);
      data = await resp.json();
    } catch (e) {
      return setTimeout(tick, 5000);
    }
    if (!data.active) { window.location.reload(); return; }
    $("insp-state").textContent = data.state_label;
    $("insp-done").textContent = data.done;
    $("insp-total").textContent = data.total || "…";
    $("insp-bar").style.width = data.percent + "%";
    $("insp-elapsed").textContent = data.elapsed_text;
    $("insp-current").innerHTML = data.current.length ? data.current.map((c) =>
      `<li>${esc(c.target.name)} <small class="muted">${esc(c.target.id)} · 已抓取 ${c.pages_done}` +
      `${c.pages_total ? "/" + c.pages_total : ""} 页</small></li>`).join("") : '<li class="muted">（等待中）</li>';
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
});

// A case being re-checked in the background (/cases/{id}): reload once the re-check is over.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("#recheck-running[data-poll]");
  if (!box) return;
  const tick = async () => {
    try {
      const resp = await fetch(box.dataset.poll, {headers: {Accept: "application/json"}, credentials: "same-origin"});
      if (resp.ok && !(await resp.json()).rechecking) { window.location.reload(); return; }
    } catch (e) { /* try again */ }
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1500);
});
