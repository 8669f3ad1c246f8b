/**
 * The one configuration schema. Sources stack defaults < config file < environment < CLI flags;
 * `loadConfig` is called once, by the CLI entry, and the result is passed down. No module reads
 * `process.env` on its own.
 */
import { readFileSync } from 'node:fs';

import { z } from 'zod';

const IANA_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The well-known local key pair (LocalStack's habit): fine on loopback, refused elsewhere. */
export const DEFAULT_ROOT_ACCESS_KEY_ID = 'test';
export const DEFAULT_ROOT_SECRET_ACCESS_KEY = 'test';

/** Durations accept milliseconds or strings such as `'90s'`, `'5 minutes'`, `'1h'`. */
const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const match =
    /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)\s*$/.exec(value);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `not a duration: '${value}' (try '90s' or '1h')` });
    return z.NEVER;
  }
  const unit = match[2] ?? 'ms';
  const factor =
    unit === 'ms'
      ? 1
      : unit.startsWith('s')
        ? 1e3
        : unit.startsWith('m')
          ? 6e4
          : unit.startsWith('h')
            ? 3.6e6
            : 8.64e7;
  return Math.round(Number(match[1]) * factor);
});

export const configSchema = z
  .object({
    /** Address the AWS-compatible API listens on. @default '127.0.0.1' */
    host: z.string().min(1).default('127.0.0.1'),
    /** Port of the AWS-compatible API (LocalStack's, so existing endpoints work). @default 4566 */
    port: z.coerce.number().int().min(0).max(65535).default(4566),
    /** Directory of the embedded SQLite store. @default './.cronbridge' */
    dataDir: z.string().min(1).default('./.cronbridge'),
    /** Docker Engine API endpoint (`unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`). */
    dockerHost: z.string().min(1).default('unix:///var/run/docker.sock'),
    /** Docker network that awsvpc tasks join. @default 'bridge' */
    taskNetwork: z.string().min(1).default('bridge'),
    /** Account id in every ARN. @default '000000000000' */
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'must be 12 digits')
      .default('000000000000'),
    /** Region used when a request names none. @default 'us-east-1' */
    region: z.string().regex(IANA_REGION, 'must look like us-east-1').default('us-east-1'),
    /** How long stopped tasks stay describable (ECS keeps them about an hour). @default '1h' */
    stoppedTaskRetention: duration.default(3_600_000),
    /**
     * How long run history (slots, invocations, attempts, dead letters) is kept. At least an hour:
     * a slot with a retry still due is kept regardless. @default '30d'
     */
    historyRetention: duration
      .default(30 * 86_400_000)
      .refine((ms) => ms >= 3_600_000, 'must be at least 1h'),
    /**
     * Extra engine labels on every task container, e.g. to find them with `docker ps --filter`
     * (the integration tests reap theirs by one). Config file only. @default {}
     */
    containerLabels: z.record(z.string().min(1), z.string()).default({}),
    /**
     * Lets task definitions reach the host as ECS on EC2 allows: `networkMode: host`, `pidMode`/
     * `ipcMode: host`, privileged containers, any added capability, devices, host-path volumes and
     * `dockerSecurityOptions`. Off, every task is confined as on Fargate and such definitions are
     * refused with ECS's ClientException. Only for a server whose API callers are trusted with
     * root on the host. @default false
     */
    allowHostAccess: z
      .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
      .transform((v) => v === true || v === 'true' || v === '1')
      .default(false),
    /**
     * Access key id of the account's root user: every API request must be SigV4-signed with it
     * (or, later, with an IAM user's or an assumed role's key). @default 'test'
     */
    rootAccessKeyId: z
      .string()
      .regex(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 letters, digits or +=,.@_-')
      .default(DEFAULT_ROOT_ACCESS_KEY_ID),
    /**
     * Secret of the root access key. The default is the well-known local pair (`test`/`test`,
     * as LocalStack accepts); `cronbridge up` refuses it on a non-loopback address.
     * @default 'test'
     */
    rootSecretAccessKey: z.string().min(1).default(DEFAULT_ROOT_SECRET_ACCESS_KEY),
  })
  .strict();

/** Validated configuration, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variables that map onto configuration keys. */
const ENV_KEYS: Record<string, keyof ConfigInput> = {
  CRONBRIDGE_HOST: 'host',
  CRONBRIDGE_PORT: 'port',
  CRONBRIDGE_DATA_DIR: 'dataDir',
  DOCKER_HOST: 'dockerHost',
  CRONBRIDGE_TASK_NETWORK: 'taskNetwork',
  CRONBRIDGE_ACCOUNT_ID: 'accountId',
  CRONBRIDGE_REGION: 'region',
  CRONBRIDGE_STOPPED_TASK_RETENTION: 'stoppedTaskRetention',
  CRONBRIDGE_HISTORY_RETENTION: 'historyRetention',
  CRONBRIDGE_ALLOW_HOST_ACCESS: 'allowHostAccess',
  CRONBRIDGE_ROOT_ACCESS_KEY_ID: 'rootAccessKeyId',
  CRONBRIDGE_ROOT_SECRET_ACCESS_KEY: 'rootSecretAccessKey',
};

export class ConfigError extends Error {}

export interface ConfigSources {
  /** Path of a JSON config file, if any. */
  file?: string;
  env?: Record<string, string | undefined>;
  flags?: Partial<ConfigInput>;
}

/** Merges the sources in precedence order and validates the result once. */
export function loadConfig(sources: ConfigSources = {}): Config {
  let fromFile: Record<string, unknown> = {};
  if (sources.file) {
    try {
      fromFile = JSON.parse(readFileSync(sources.file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`cannot read config file ${sources.file}: ${(error as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = sources.env?.[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const fromFlags = Object.fromEntries(
    Object.entries(sources.flags ?? {}).filter(([, v]) => v !== undefined),
  );
  const result = configSchema.safeParse({ ...fromFile, ...fromEnv, ...fromFlags });
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return result.data;
}
