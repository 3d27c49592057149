// Instance configuration: environment (and .env) plus mff.config.ts, validated once at start.
// A bad value stops start-up with a message naming it; secret values are never echoed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { TrustedProxies } from './auth/trusted-proxies.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  MFF_APP_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  MFF_DATA_DIR: z.string().min(1).default('./data'),
  MFF_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  MFF_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  MFF_PUBLIC_URL: z.url().optional(),
  MFF_OPEN_SIGNUP: bool.optional(),
  MFF_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  MFF_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MFF_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Lets plugins' ctx.fetch reach loopback, private and link-local addresses (fakes in tests, LAN services). */
  MFF_PLUGIN_FETCH_ALLOW_PRIVATE: bool.optional(),
  /** Reverse proxies whose X-Forwarded-For names the client (login rate limits); default: none. */
  MFF_TRUSTED_PROXIES: TrustedProxies.default([]),
});

/** A sandboxed plugin's limits (core/plugins/sandbox/host/protocol.ts DEFAULT_LIMITS when unset). */
const PluginLimits = z
  .object({
    /** Longest the plugin may run without returning to its event loop (a CPU spin), in ms. */
    cpuMs: z.number().int().min(100, 'must be at least 100 (ms)').max(600_000, 'must be at most 600000 (ms, 10 minutes)').optional(),
    /** V8 heap of the plugin's worker, in MB. */
    heapMb: z.number().int().min(16, 'must be at least 16 (MB)').max(4096, 'must be at most 4096 (MB)').optional(),
    /** Largest message (response, capability call) the plugin may send, in bytes. */
    messageBytes: z.number().int().min(65_536, 'must be at least 65536 (bytes)').max(268_435_456, 'must be at most 268435456 (bytes, 256 MiB)').optional(),
  })
  .strict();

const PluginEntry = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    from: z.string().min(1),
    mode: z.enum(['in-process', 'sandboxed']).default('in-process'),
    limits: PluginLimits.optional(),
  })
  .strict()
  .refine((e) => !e.limits || e.mode === 'sandboxed', {
    path: ['limits'],
    message: 'limits apply to sandboxed plugins only (in-process code shares the kernel\'s process); set mode: \'sandboxed\' or remove limits',
  });

export const FileConfigSchema = z
  .object({
    signup: z.object({ open: z.boolean().default(true) }).default({ open: true }),
    session: z
      .object({
        accessTokenMinutes: z.number().int().min(1).max(60).default(10),
        refreshTokenDays: z.number().int().min(1).max(365).default(30),
      })
      .default({ accessTokenMinutes: 10, refreshTokenDays: 30 }),
    invites: z.object({ expiryHours: z.number().int().min(1).max(24 * 30).default(72) }).default({ expiryHours: 72 }),
    http: z
      .object({
        maxBodyBytes: z.number().int().min(1024).default(1_048_576),
        // The most a plugin route that declares a larger limit (manifest bodyLimits: uploads) may accept.
        maxUploadBytes: z.number().int().min(1024).default(64 * 1_048_576),
      })
      .default({ maxBodyBytes: 1_048_576, maxUploadBytes: 64 * 1_048_576 }),
    plugins: z.array(PluginEntry).default([]),
  })
  .strict();

export type FileConfig = z.infer<typeof FileConfigSchema>;
export type Env = z.infer<typeof EnvSchema>;
export type Config = Env & FileConfig & { rootDir: string; dataDir: string; openSignup: boolean };

export class ConfigError extends Error {}

function describe(prefix: string, err: z.ZodError): string {
  return err.issues
    .map((i) => `  ${prefix}${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('\n');
}

export async function loadConfig(rootDir = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const envFile = resolve(rootDir, '.env');
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);

  const parsedEnv = EnvSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(`Invalid environment:\n${describe('', parsedEnv.error)}`);

  const file = resolve(rootDir, 'mff.config.ts');
  const raw = existsSync(file) ? (await import(pathToFileURL(file).href)).default : {};
  const parsedFile = FileConfigSchema.safeParse(raw ?? {});
  if (!parsedFile.success) throw new ConfigError(`Invalid mff.config.ts:\n${describe('', parsedFile.error)}`);

  const e = parsedEnv.data;
  return {
    ...e,
    ...parsedFile.data,
    rootDir,
    dataDir: resolve(rootDir, e.MFF_DATA_DIR),
    openSignup: e.MFF_OPEN_SIGNUP ?? parsedFile.data.signup.open,
  };
}
