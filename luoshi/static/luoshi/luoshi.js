// Small behaviours shared by every page: the phone menu and confirmations.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
  const toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    const nav = document.getElementById("sidenav");
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A live count toward the minimum length of a reason (延期理由 needs 20 characters).
document.querySelectorAll("textarea[data-count-min]").forEach((box) => {
  const min = Number(box.dataset.countMin);
  const out = document.createElement("small");
  out.className = "help count";
  out.setAttribute("aria-live", "polite");
  out.dataset.testid = "char-count";
  box.after(out);
  const show = () => {
    const n = Array.from(box.value.trim()).length;
    out.textContent = n >= min ? `已输入 ${n} 字` : `已输入 ${n} 字，还需 ${min - n} 字`;
    out.classList.toggle("short", n < min);
  };
  box.addEventListener("input", show);
  show();
});
// After a refusal the page comes back at the top: bring the first refused field into view.
{
  const refused = document.querySelector(".has-error textarea, .has-error input, .has-error select");
  if (refused) {
    refused.scrollIntoView({ block: "center" });
    refused.focus({ preventScroll: true });
  }
}

// Positions that vary per item (挂图作战 bars, ticks, milestones) come as data- attributes
// and are applied through the CSSOM: the Content-Security-Policy refuses inline style
// attributes but not this. Content swapped in by htmx gets the same treatment.
function applyPositions(root) {
  const all = (selector) => [root, ...root.querySelectorAll(selector)].filter((el) => el.matches?.(selector));
  all("[data-left]").forEach((el) => { el.style.left = `${el.dataset.left}%`; });
  all("[data-width]").forEach((el) => { el.style.width = `${el.dataset.width}%`; });
}
applyPositions(document.body);
document.addEventListener("htmx:load", (event) => applyPositions(event.detail.elt));
