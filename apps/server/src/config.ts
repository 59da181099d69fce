import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Everything else receives a Config.
 * Validated at boot so a typo in an environment variable stops the start with a message
 * naming the variable, instead of surfacing later as a strange failure.
 */
const booleanFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  YIMEN_DATA_DIR: z.string().min(1).default('./data'),
  YIMEN_DEMO: booleanFromEnv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  YIMEN_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  // true: trust every X-Forwarded-For (only behind a proxy that overwrites it); or the
  // proxies' addresses (IPs or CIDRs, comma-separated): the client is then the first
  // address, from the right, that is not one of them, which a client cannot forge.
  YIMEN_TRUST_PROXY: z
    .union([
      booleanFromEnv,
      z
        .string()
        .transform((v) => v.split(',').map((a) => a.trim()))
        .refine(
          (list) =>
            list.every((a) => {
              const [ip, bits, extra] = a.split('/');
              return (
                net.isIP(ip ?? '') !== 0 &&
                extra === undefined &&
                (bits === undefined || /^\d{1,3}$/.test(bits))
              );
            }),
          'true, false, or proxy addresses such as 10.0.0.2,10.1.0.0/16',
        ),
    ])
    .default(false),
  YIMEN_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  YIMEN_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43,}={0,2}$/, 'must be at least 32 random bytes in base64')
    .optional(),
  YIMEN_SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(12),
  YIMEN_TOKEN_DAYS: z.coerce.number().min(0.01).max(365).default(30),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|wss?):\/\/\S+$/, 'must look like nats://host:4222')
    .optional(),
  YIMEN_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must start with http:// or https://')
    .optional(),
  YIMEN_MESSAGE_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  YIMEN_IDEMPOTENCY_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  YIMEN_OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  YIMEN_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * The embedded database's buffer cache. PGlite's shared memory lives in its WebAssembly heap,
   * resident in full from the start and never given back: that heap holds about 48 MiB at
   * 32 MB, about 30 MiB at 16 MB (PostgreSQL's default is 128 MB). At 16 MB the lifecycle
   * benchmark's peak RSS was 20 MiB lower and the server read no more bytes than at 32 MB (a
   * database of 24 MB by its end): what a station uses fits, and a miss is a read from the OS
   * cache.
   */
  YIMEN_PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d{1,6}(kB|MB|GB)$/, 'a size such as 16MB')
    .default('16MB'),
  YIMEN_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
});

export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | null; sharedBuffers?: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Where the embedded database and other local files live. */
  dataDir: string;
  /** Demo mode loads the demo accounts and residents and logs SMS codes. */
  demo: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  bodyLimit: number;
  /** Fastify's trustProxy: everything, nothing, or these proxy addresses (IP or CIDR). */
  trustProxy: boolean | string[];
  shutdownTimeoutMs: number;
  /**
   * The master key for personal data (ID-number encryption and lookup hashes). When unset,
   * a key is made once and kept in `<dataDir>/secret.key`: fine for the embedded demo, but a
   * production server should be given YIMEN_SECRET_KEY and have it backed up.
   */
  secretKey: string | undefined;
  /** Web sessions (cookie) expire after this many hours. */
  sessionHours: number;
  /** API bearer tokens expire after this many days. */
  tokenDays: number;
  /** An Idempotency-Key and the answer kept for its retries are forgotten after this long. */
  idempotencyHours: number;
  /** The integration hub. */
  integrations: {
    /** When set, case events are also published to NATS JetStream (yimen.<region>.<event>). */
    natsUrl: string | undefined;
    /** How departments reach us for callbacks; told to them in each call. */
    publicUrl: string;
    /** The message log keeps exchanges this many days. */
    messageLogDays: number;
    /** A claimed outbox row is sent again after this long if its worker died (> connector timeouts). */
    outboxLeaseMs: number;
    /** Tries before a message becomes a dead letter. */
    outboxMaxAttempts: number;
    /** Messages of different cases sent at once by one dispatcher. */
    dispatchConcurrency: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置无效 / invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.YIMEN_DATA_DIR);
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : {
        kind: 'pglite',
        dataDir: path.join(dataDir, 'db'),
        sharedBuffers: e.YIMEN_PGLITE_SHARED_BUFFERS,
      };
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    dataDir,
    // The embedded database is for trying yimen out, so it comes with the demo data;
    // a PostgreSQL server is production unless told otherwise.
    demo: e.YIMEN_DEMO ?? database.kind === 'pglite',
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.YIMEN_BODY_LIMIT,
    trustProxy: e.YIMEN_TRUST_PROXY,
    shutdownTimeoutMs: e.YIMEN_SHUTDOWN_TIMEOUT_MS,
    secretKey: e.YIMEN_SECRET_KEY,
    sessionHours: e.YIMEN_SESSION_HOURS,
    tokenDays: e.YIMEN_TOKEN_DAYS,
    idempotencyHours: e.YIMEN_IDEMPOTENCY_HOURS,
    integrations: {
      natsUrl: e.NATS_URL,
      publicUrl: (e.YIMEN_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT || 3000}`).replace(/\/+$/, ''),
      messageLogDays: e.YIMEN_MESSAGE_LOG_DAYS,
      outboxLeaseMs: e.YIMEN_OUTBOX_LEASE_MS,
      outboxMaxAttempts: e.YIMEN_OUTBOX_MAX_ATTEMPTS,
      dispatchConcurrency: e.YIMEN_DISPATCH_CONCURRENCY,
    },
  };
}
