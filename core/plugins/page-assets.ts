// What a plugin's full page may add to the page around it, asked for with two response headers and
// checked here against the plugin's manifest (plugin HTML itself may not contain <script>):
//
//   x-mff-scripts: /p/<id>/link.js, https://cdn.example.com/widget.js
//     script tags the kernel adds (with the page's nonce): the plugin's own paths, or https URLs on
//     a host its manifest's permissions.net declares.
//   x-mff-csp: frame-src https://cdn.example.com/; connect-src https://api.example.com/
//     sources added to the kernel's Content-Security-Policy for this one response: only frame-src,
//     connect-src and img-src, only https URLs on declared hosts (no keywords, schemes or wildcards).
//
// Anything else is ignored (and logged by the caller), so a page asks for exactly what it uses and
// the instance admin has already seen every host involved.
import type { Manifest } from '../../plugin-sdk/types.ts';
import { hostAllowed } from './net-guard.ts';
import { pagePrefix } from './naming.ts';

export const SCRIPTS_HEADER = 'x-mff-scripts';
export const CSP_HEADER = 'x-mff-csp';
const CSP_DIRECTIVES = new Set(['frame-src', 'connect-src', 'img-src']);
const MAX_ITEMS = 8;

export type PageAssets = { scripts: string[]; csp: Record<string, string[]>; refused: string[] };

/** An https URL on a host the manifest declares, without credentials, quotes or spaces. */
function declaredHttps(value: string, m: Manifest): string | null {
  if (!/^https:\/\/[^\s'";,]+$/.test(value)) return null;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (u.username || u.password || u.hostname.includes('*') || !hostAllowed(u, m.permissions?.net ?? [])) return null;
  return u.href;
}

function ownPath(value: string, m: Manifest): string | null {
  const prefix = `${pagePrefix(m.id)}/`;
  if (!value.startsWith(prefix) || !/^\/[A-Za-z0-9_./-]+$/.test(value) || value.includes('..') || value.includes('//')) return null;
  return value;
}

export function pageAssets(headers: Headers, m: Manifest): PageAssets {
  const out: PageAssets = { scripts: [], csp: {}, refused: [] };
  for (const raw of (headers.get(SCRIPTS_HEADER) ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, MAX_ITEMS)) {
    const ok = ownPath(raw, m) ?? declaredHttps(raw, m);
    if (ok) out.scripts.push(ok);
    else out.refused.push(`script ${raw.slice(0, 200)}`);
  }
  for (const part of (headers.get(CSP_HEADER) ?? '').split(';').map((s) => s.trim()).filter(Boolean).slice(0, MAX_ITEMS)) {
    const [directive, ...sources] = part.split(/\s+/);
    if (!CSP_DIRECTIVES.has(directive)) {
      out.refused.push(`directive ${directive.slice(0, 50)}`);
      continue;
    }
    for (const source of sources.slice(0, MAX_ITEMS)) {
      const ok = declaredHttps(source, m);
      if (ok) (out.csp[directive] ??= []).push(ok);
      else out.refused.push(`${directive} ${source.slice(0, 200)}`);
    }
  }
  return out;
}
