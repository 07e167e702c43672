// A hint while typing the value (the server decides; this only says early what it will refuse).
"use strict";
(function () {
  const input = document.getElementById("value");
  const hint = document.getElementById("value-hint");
  const notAssessed = document.getElementById("not-assessed");
  if (!input || !hint) return;
  const usual = hint.textContent;
  input.addEventListener("input", () => {
    const t = input.value.trim().replace("%", "").replace(",", ".");
    const n = Number(t);
    const bad = t !== "" && (!/^-?\d+(\.\d+)?$/.test(t) || n < 0 || n > 100);
    hint.textContent = bad ? input.dataset.hintBad : usual;
    hint.classList.toggle("text-danger", bad);
  });
  if (notAssessed) {
    const sync = () => { input.disabled = notAssessed.checked; };
    notAssessed.addEventListener("change", sync);
    sync();
  }
})();
