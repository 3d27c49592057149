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

// htmx leaves the page as it was when a request fails (it swaps only 2xx answers), so a refused
// click would look like nothing happened: say what the server said, at the top of the page.
function showRequestError(text) {
  const box = document.getElementById('request-error');
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}
function problemText(xhr) {
  const type = xhr.getResponseHeader('content-type') ?? '';
  try {
    if (type.includes('json')) {
      const p = JSON.parse(xhr.responseText);
      if (p.detail || p.title) return p.detail || p.title;
    } else if (type.includes('html')) {
      const doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      const h = doc.querySelector('.error-page h1, [role="alert"], h1');
      const p = doc.querySelector('.error-page h1 + p');
      const text = [h?.textContent, p?.textContent].filter(Boolean).join(': ').trim();
      if (text) return text;
    }
  } catch {}
  return `The request failed (${xhr.status} ${xhr.statusText}).`;
}
document.addEventListener('htmx:responseError', (e) => showRequestError(problemText(e.detail.xhr)));
document.addEventListener('htmx:sendError', () => showRequestError('Could not reach the server; check the connection and try again.'));
document.addEventListener('htmx:beforeRequest', () => {
  const box = document.getElementById('request-error');
  if (box) box.hidden = true;
});
