// What a sandboxed plugin's HTML may do to the page around it. Its fragments are swapped into
// kernel pages, where the browser holds the user's session and CSRF token, so the kernel refuses
// a response that would:
//  - swap kernel elements out of band (hx-swap-oob, hx-select-oob) or target them (hx-target,
//    hx-include, HX-Retarget: only `this`, `find …`, or elements with id/class "p-<plugin>-…");
//  - send requests outside its own prefix (hx-post/get/put/patch/delete, form action/formaction:
//    only /p/<plugin>/… and /api/v1/<plugin>/…; a GET form may go anywhere on the instance), or join
//    a form it does not own (form= names only "p-<plugin>-…"; beside a plugin whose id extends its
//    own, "foo-bar" beside "foo", the names "p-foo-bar-…" are foo-bar's alone);
//  - run script (script/iframe/object/embed/base/meta/link elements, on* and hx-on attributes,
//    javascript: URLs, js: values) — the CSP forbids most of it already; this is depth;
//  - set headers the kernel owns (cookies, CSP, CORS, Refresh...): only an allowlist passes.
// A refused response is replaced by an error (502) and logged; the plugin is not restarted.
import { PluginResponseRefused } from './errors.ts';
import type { WireResponse } from './host/protocol.ts';
import { readElements, type Element } from './html-attributes.ts';

const PASS_HEADERS = new Set([
  'content-type', 'content-language', 'content-disposition', 'cache-control', 'etag', 'last-modified', 'expires', 'vary', 'retry-after',
  'location', 'hx-location', 'hx-redirect', 'hx-push-url', 'hx-replace-url', 'hx-retarget', 'hx-reswap', 'hx-reselect', 'hx-refresh',
  'hx-trigger', 'hx-trigger-after-settle', 'hx-trigger-after-swap',
  // The kernel reads and checks these against the manifest itself (page-routes.ts, page-assets.ts).
  'x-mff-title', 'x-mff-scripts', 'x-mff-csp',
]);
const REFUSED_ELEMENTS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'plaintext', 'portal']);
const REQUEST_ATTRS = new Set(['hx-get', 'hx-post', 'hx-put', 'hx-patch', 'hx-delete']);
const SELECTOR_ATTRS = new Set(['hx-target', 'hx-include']);
const ORIGIN = 'http://mff.invalid';

const refuse = (id: string, why: string): never => {
  throw new PluginResponseRefused(`plugin ${id}'s response was refused: ${why}`);
};

function url(value: string): URL | null {
  if (value.includes('\0') || /[\\]/.test(value)) return null;
  try {
    const u = new URL(value.trim(), `${ORIGIN}/`);
    return u.origin === ORIGIN ? u : null;
  } catch {
    return null;
  }
}

/** A same-origin path under the plugin's page or API prefix (after the browser's normalization). */
export function withinPrefix(value: string, id: string): boolean {
  const trimmed = value.trim();
  if (!trimmed.startsWith('/') || trimmed.startsWith('//')) return false;
  const u = url(trimmed);
  if (!u) return false;
  const p = u.pathname;
  return p === `/p/${id}` || p.startsWith(`/p/${id}/`) || p.startsWith(`/api/v1/${id}/`);
}

/**
 * An element name "p-<id>-…" of the plugin's own. Not one under a plugin whose id extends this one's
 * (`reserved`: "p-foo-bar-list" is plugin foo-bar's, though it starts with foo's "p-foo-").
 */
function ownName(name: string, id: string, reserved: readonly string[]): boolean {
  return new RegExp(`^p-${id.replace(/-/g, '\\-')}-[A-Za-z0-9_-]*$`).test(name) && !reserved.some((r) => name.startsWith(`p-${r}-`));
}

/** `this`, `find …`, or a single #p-<id>-… / .p-<id>-… element, optionally closest/next/previous. */
export function allowedSelector(value: string, id: string, reserved: readonly string[] = []): boolean {
  const v = value.trim();
  if (v === 'this' || /^find\s+\S/.test(v)) return !v.includes('\0');
  const m = /^(?:(?:closest|next|previous)\s+)?[#.](\S*)$/.exec(v);
  return m !== null && ownName(m[1], id, reserved);
}

/** Form methods that send nothing outside the page's own GET semantics: GET, or closing a dialog. */
const safeMethod = (value: string) => /^(?:get|dialog)$/i.test(value);

/**
 * formmethod/formaction override one half of a submission; the other half comes from the control's
 * form: the enclosing <form>, the one its form= names, the form a plugin swap (hx-select, HX-Reselect)
 * later drops it into, or, for htmx, the form's hx-post/put/patch/delete. None of that can be known
 * from one response, and a GET form may point anywhere, so the control is judged on its own: unless
 * it says formmethod="get" (or dialog), it must carry a formaction under the plugin's prefix.
 * Checked on every element that has them (htmx treats any <button> as a submitter).
 */
function checkSubmitOverrides(el: Element, id: string): void {
  const methods = el.attrs.filter((a) => a.name === 'formmethod').map((a) => a.value);
  const actions = el.attrs.filter((a) => a.name === 'formaction').map((a) => a.value);
  if (methods.length === 0 && actions.length === 0) return;
  if (methods.length > 0 && methods.every(safeMethod)) {
    const bad = actions.find((v) => !url(v));
    if (bad !== undefined) refuse(id, `formaction="${bad.slice(0, 100)}" leaves the instance`);
    return;
  }
  const bad = actions.find((v) => !withinPrefix(v, id));
  if (bad !== undefined) refuse(id, `formaction="${bad.slice(0, 100)}" may post outside /p/${id}/ (the method can come from its form; say formmethod="get" for a GET)`);
  if (actions.length === 0) refuse(id, `formmethod="${methods.find((m) => !safeMethod(m))!.slice(0, 20)}" without a formaction under /p/${id}/ posts to its form's action, which may be anywhere`);
}

const SCRIPT_URL = /^[\s\0-\x1f]*(?:j[\s\0-\x1f]*a[\s\0-\x1f]*v[\s\0-\x1f]*a[\s\0-\x1f]*s[\s\0-\x1f]*c[\s\0-\x1f]*r[\s\0-\x1f]*i[\s\0-\x1f]*p[\s\0-\x1f]*t|vbscript|data[\s\0-\x1f]*:[\s\0-\x1f]*text\/html)[\s\0-\x1f]*:?/i;

function checkElement(el: Element, id: string, reserved: readonly string[]): void {
  if (REFUSED_ELEMENTS.has(el.tag)) refuse(id, `<${el.tag}> elements are not allowed`);
  const method = el.attrs.find((a) => a.name === 'method')?.value.toLowerCase();
  for (const { name: raw, value } of el.attrs) {
    const name = raw.startsWith('data-') ? raw.slice(5) : raw;
    if (name === 'hx-swap-oob' || name === 'hx-select-oob') refuse(id, `${raw} would swap kernel elements out of band`);
    if (name.startsWith('on') || name.startsWith('hx-on')) refuse(id, `${raw}: inline event handlers are not allowed`);
    if (name === 'hx-vars' || ((name === 'hx-vals' || name === 'hx-headers') && /^\s*(js|javascript):/i.test(value))) refuse(id, `${raw}: evaluated values are not allowed`);
    if (name === 'srcdoc') refuse(id, 'srcdoc is not allowed');
    if (SCRIPT_URL.test(value) && /^(href|src|action|formaction|xlink:href|poster|background|hx-)/.test(name)) refuse(id, `${raw}: script URLs are not allowed`);
    if (REQUEST_ATTRS.has(name) && !withinPrefix(value, id)) refuse(id, `${raw}="${value.slice(0, 100)}" is outside /p/${id}/ and /api/v1/${id}/`);
    if (SELECTOR_ATTRS.has(name) && !allowedSelector(value, id, reserved)) refuse(id, `${raw}="${value.slice(0, 100)}" may target kernel elements (use this, find …, or #p-${id}-…)`);
    if ((name === 'hx-push-url' || name === 'hx-replace-url') && !/^(true|false)$/.test(value.trim()) && !withinPrefix(value, id)) refuse(id, `${raw} is outside the plugin's prefix`);
    if (name === 'action' && ((method ?? 'get') === 'get' ? !url(value) : !withinPrefix(value, id))) refuse(id, `${raw}="${value.slice(0, 100)}" posts outside /p/${id}/`);
    if (raw === 'form' && !ownName(value, id, reserved)) refuse(id, `form="${value.slice(0, 100)}" may join a kernel form (name a form with id p-${id}-…)`);
  }
  checkSubmitOverrides(el, id);
  if (el.tag === 'form' && method && method !== 'get' && method !== 'dialog' && !el.attrs.some((a) => a.name === 'action')) {
    refuse(id, 'a form that posts must have an action under its own prefix');
  }
}

function checkHeaders(headers: [string, string][], id: string, reserved: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const [rawName, value] of headers) {
    const name = rawName.toLowerCase();
    if (!PASS_HEADERS.has(name)) continue; // set-cookie, CSP, CORS, refresh, clear-site-data... are the kernel's
    if (name === 'location' || name === 'hx-redirect') {
      if (!value.trim().startsWith('/') || value.trim().startsWith('//') || !url(value)) refuse(id, `${name}: ${value.slice(0, 100)} leaves the instance`);
    }
    if ((name === 'hx-location' || name === 'hx-push-url' || name === 'hx-replace-url') && value !== 'false' && !withinPrefix(value, id)) {
      refuse(id, `${name}: ${value.slice(0, 100)} is outside the plugin's prefix`);
    }
    if (name === 'hx-retarget' && !allowedSelector(value, id, reserved)) refuse(id, `HX-Retarget: ${value.slice(0, 100)} may target kernel elements`);
    out.push([name, value]);
  }
  return out;
}

/** `reserved`: ids of other plugins that extend this one's with a hyphen (their elements are not its own). */
export function guardHtml(html: string, id: string, reserved: readonly string[] = []): string {
  const read = readElements(html);
  if (!read) return refuse(id, 'its HTML parses differently when re-read (refused rather than guessed at)');
  for (const el of read.elements) checkElement(el, id, reserved);
  return read.html;
}

/** Checks (and filters the headers of) a sandboxed plugin's response; throws PluginResponseRefused. */
export function guardWireResponse(w: WireResponse, id: string, reserved: readonly string[] = []): WireResponse {
  if (!w || typeof w !== 'object' || !Array.isArray(w.headers)) return w; // fromWireResponse refuses it
  const headers = checkHeaders(w.headers.filter((h) => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string'), id, reserved);
  const type = headers.find(([n]) => n === 'content-type')?.[1] ?? '';
  let body = w.body;
  if (body !== null && (type === '' || /^text\/html|xhtml|svg/i.test(type))) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    body = guardHtml(text, id, reserved);
  }
  return { ...w, headers, body };
}
