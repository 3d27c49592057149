// ctx.fetch on the kernel side. Every hop (the first request and each redirect) is checked against
// the manifest's hosts, and the address actually connected to is checked at connect time (a custom
// DNS lookup), so neither a redirect nor DNS rebinding reaches a private address.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { FetchRequest, FetchResponse } from '../../plugin-sdk/types.ts';
import { PermissionDenied } from './errors.ts';
import { hostAllowed, isPrivateAddress } from './net-guard.ts';

export type FetchPolicy = {
  pluginId: string;
  hosts: readonly string[];
  allowPrivate: boolean;
  maxRedirects?: number;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /**
   * Test instances only: sends a checked URL somewhere else (a loopback fake), like curl --resolve.
   * The manifest check applies to the URL the plugin asked for; the kernel chose the target.
   */
  rewrite?: (url: URL) => URL | null;
};

// Headers a plugin may not set: they describe the connection, which the kernel owns.
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-authorization', 'te', 'trailer']);

function checkedLookup(policy: FetchPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as unknown as LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (!policy.allowPrivate && bad) {
        return callback(new PermissionDenied(`plugin ${policy.pluginId}: ${hostname} resolves to private address ${bad.address}`), '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as any)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

function checkUrl(url: URL, policy: FetchPolicy): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PermissionDenied(`plugin ${policy.pluginId}: only http(s) URLs may be fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new PermissionDenied(`plugin ${policy.pluginId}: credentials in URLs are not allowed`);
  if (!hostAllowed(url, policy.hosts)) {
    throw new PermissionDenied(`plugin ${policy.pluginId} may not fetch ${url.host}: not in its manifest's permissions.net`);
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !policy.allowPrivate && isPrivateAddress(literal)) {
    throw new PermissionDenied(`plugin ${policy.pluginId} may not fetch private address ${literal}`);
  }
}

type Hop = { status: number; statusText: string; headers: [string, string][]; location?: string; body: Uint8Array };

function once(url: URL, method: string, headers: [string, string][], body: Uint8Array | undefined, policy: FetchPolicy, trusted: boolean): Promise<Hop> {
  const mod = url.protocol === 'https:' ? https : http;
  const limit = policy.maxResponseBytes ?? 10 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method,
      headers: Object.fromEntries(headers.filter(([k]) => !HOP_HEADERS.has(k.toLowerCase()))),
      ...(trusted ? {} : { lookup: checkedLookup(policy) }),
      timeout: policy.timeoutMs ?? 30_000,
      agent: false, // no pooled sockets: each connection's address is checked
    });
    req.on('timeout', () => req.destroy(new Error(`fetch ${url.host} timed out`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) res.destroy(new Error(`response from ${url.host} exceeds ${limit} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const out: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) out.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: out, location: res.headers.location, body: new Uint8Array(Buffer.concat(chunks)) });
      });
    });
    if (body?.length) req.end(body);
    else req.end();
  });
}

export async function guardedFetch(input: FetchRequest, policy: FetchPolicy): Promise<FetchResponse> {
  let url = new URL(input.url);
  let method = (input.method ?? 'GET').toUpperCase();
  let headers = input.headers ?? [];
  let body = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body ?? undefined;
  const maxRedirects = policy.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    checkUrl(url, policy);
    const target = policy.rewrite?.(url) ?? null;
    const res = await once(target ?? url, method, headers, body, policy, target !== null);
    if (![301, 302, 303, 307, 308].includes(res.status) || !res.location) {
      return { url: url.toString(), status: res.status, statusText: res.statusText, headers: res.headers, body: res.body };
    }
    if (hop >= maxRedirects) throw new Error(`fetch ${input.url}: more than ${maxRedirects} redirects`);
    const next = new URL(res.location, url);
    // As browsers do: 303 (and 301/302 after POST) become GET without a body; credentials never
    // travel to another origin.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = headers.filter(([k]) => !/^content-/i.test(k));
    }
    if (next.origin !== url.origin) headers = headers.filter(([k]) => !/^(authorization|cookie)$/i.test(k));
    url = next;
  }
}
