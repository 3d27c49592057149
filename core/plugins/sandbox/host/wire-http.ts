// Web Request and Response as plain data for the sandbox boundary. Bodies are buffered with a size
// limit (a fragment or page is small; the limit keeps a plugin from pushing megabytes at the
// kernel). Textual bodies travel as strings, which costs no encode/decode on either side.
import type { WireRequest, WireResponse } from './protocol.ts';

const TEXTUAL = /^(text\/|application\/(json|xml|javascript|problem\+json|[\w.+-]+\+(json|xml)))/i;
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export class BodyTooLarge extends Error {
  override name = 'PayloadTooLarge';
  status = 502;
}

async function readLimited(body: ReadableStream<Uint8Array<ArrayBuffer>>, max: number, what: string): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(`${what} exceeds ${max} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function toWireRequest(req: Request, max: number): Promise<WireRequest> {
  const body = req.body ? await readLimited(req.body, max, 'request body') : null;
  return { method: req.method, url: req.url, headers: [...req.headers], body };
}

export function fromWireRequest(w: WireRequest): Request {
  const hasBody = w.body !== null && w.method !== 'GET' && w.method !== 'HEAD';
  return new Request(w.url, { method: w.method, headers: w.headers, body: hasBody ? w.body : null });
}

export async function toWireResponse(res: Response, max: number): Promise<WireResponse> {
  const headers = [...res.headers];
  let body: WireResponse['body'] = null;
  if (res.body) {
    if (TEXTUAL.test(res.headers.get('content-type') ?? '')) {
      body = await res.text();
      if (body.length > max) throw new BodyTooLarge(`response body exceeds ${max} bytes`);
    } else {
      body = await readLimited(res.body, max, 'response body');
    }
  }
  return { status: res.status, statusText: res.statusText, headers, body };
}

/** Builds a Response from a plugin's (untrusted) data; throws on anything malformed. */
export function fromWireResponse(w: unknown): Response {
  const r = w as WireResponse;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.status) || r.status < 200 || r.status > 599) throw new TypeError('malformed response: status');
  if (!Array.isArray(r.headers) || !r.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')) {
    throw new TypeError('malformed response: headers');
  }
  if (r.body !== null && typeof r.body !== 'string' && !(r.body instanceof Uint8Array)) throw new TypeError('malformed response: body');
  const body = NULL_BODY.has(r.status) ? null : (r.body as BodyInit | null);
  return new Response(body, { status: r.status, statusText: typeof r.statusText === 'string' ? r.statusText : '', headers: r.headers });
}
