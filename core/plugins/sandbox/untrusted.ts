// Values a sandboxed plugin sends are decoded by the kernel (v8.deserialize): the frame size bounds
// their bytes, but not their shape. A sparse array with a length of 2^32-1 costs a few bytes and
// would keep any kernel loop over it (validation, logging, JSON) busy for a minute. Every decoded
// payload passes this walk before the kernel touches it.
const MAX_NODES = 1_000_000;
const MAX_DEPTH = 64;
const MAX_ARRAY = 1_000_000;

export function boundedShape(value: unknown): boolean {
  let nodes = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return false;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp) return true;
    if (Array.isArray(v)) {
      if (v.length > MAX_ARRAY) return false;
      for (let i = 0; i < v.length; i++) if (!walk(v[i], depth + 1)) return false;
    } else if (v instanceof Map) {
      for (const [k, x] of v) if (!walk(k, depth + 1) || !walk(x, depth + 1)) return false;
    } else if (v instanceof Set) {
      for (const x of v) if (!walk(x, depth + 1)) return false;
    } else {
      for (const k of Object.keys(v)) if (!walk((v as Record<string, unknown>)[k], depth + 1)) return false;
    }
    return true;
  };
  return walk(value, 0);
}

/** Log fields from a plugin: a few keys with short, flat values. */
export function plainFields(fields: unknown): Record<string, unknown> | undefined {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).slice(0, 30)) {
    const v = (fields as Record<string, unknown>)[key];
    out[key.slice(0, 100)] = v === null || ['number', 'boolean'].includes(typeof v) ? v : typeof v === 'string' ? v.slice(0, 1000) : `[${Array.isArray(v) ? 'array' : typeof v}]`;
  }
  return out;
}
