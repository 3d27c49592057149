// Structured logs: one JSON object per line. Keys that may hold secrets are redacted wherever they nest.
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
const SENSITIVE = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|encryption|^key$|dsn|database_url/i;

let threshold: number = ORDER[(process.env.MFF_LOG_LEVEL as Level) ?? 'info'] ?? ORDER.info;

export function setLogLevel(level: keyof typeof ORDER): void {
  threshold = ORDER[level];
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void> & {
  child(fields: Record<string, unknown>): Logger;
};

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const write = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(redact({ ...base, ...fields }) as object) });
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export const log = createLogger();
