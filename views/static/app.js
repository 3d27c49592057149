// Progressive enhancement only: every page works without this file.
document.addEventListener('change', (e) => {
  const el = e.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit')) el.form?.requestSubmit();
});

// A "select all" checkbox (data-select-all="<name>") ticks every checkbox of that name on the page.
document.addEventListener('change', (e) => {
  const el = e.target;
  if (!(el instanceof HTMLInputElement) || !el.hasAttribute('data-select-all')) return;
  for (const box of document.querySelectorAll(`input[type="checkbox"][name="${CSS.escape(el.dataset.selectAll ?? '')}"]`)) box.checked = el.checked;
});
