/**
 * Where the client commands send requests, and as whom. Layered like the server's config
 * (defaults < environment < flags): the default endpoint is the address `cronbridge up` listens
 * on by the same configuration (`CRONBRIDGE_HOST`/`CRONBRIDGE_PORT`, via `loadConfig`), so one
 * environment serves both; `CRONBRIDGE_ENDPOINT` or `--endpoint` point elsewhere. Requests are
 * signed with `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else with the
 * root key the same configuration gives the server (`CRONBRIDGE_ROOT_*` or the config file;
 * `test`/`test` by default), so a local server needs no AWS configuration even with its own key.
 */
import { loadConfig } from '../../platform/config.ts';
import type { SigningCredentials } from './sigv4.ts';

export interface ClientSettings {
  /** `http://127.0.0.1:4566` by default. */
  endpoint: string;
  region: string;
  credentials: SigningCredentials;
}

export interface ClientFlags {
  endpoint?: string;
  region?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown for settings that cannot work; the command prints it and exits 2. */
export class ClientSettingsError extends Error {}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** A listen address is not always a connect address: `0.0.0.0` means "this machine". */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function checkEndpoint(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ClientSettingsError(`${source}: '${text}' is not a URL (try http://127.0.0.1:4566)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientSettingsError(`${source}: '${text}' must be an http:// or https:// URL`);
  }
  return url.toString().replace(/\/$/, '');
}

/** Resolves the settings from flags and the environment (passed in; never read at import). */
export function resolveClientSettings(flags: ClientFlags, env: Env): ClientSettings {
  // The server's configuration, read only when something is taken from it.
  let config: ReturnType<typeof loadConfig> | undefined;
  const serverConfig = () => {
    try {
      config ??= loadConfig({ env });
    } catch (error) {
      throw new ClientSettingsError((error as Error).message);
    }
    return config;
  };
  let endpoint: string;
  if (flags.endpoint !== undefined) {
    endpoint = checkEndpoint(flags.endpoint, '--endpoint');
  } else if (env['CRONBRIDGE_ENDPOINT']) {
    endpoint = checkEndpoint(env['CRONBRIDGE_ENDPOINT'], 'CRONBRIDGE_ENDPOINT');
  } else {
    const { host, port } = serverConfig();
    endpoint = `http://${connectHost(host)}:${port}`;
  }
  const region = flags.region ?? env['CRONBRIDGE_REGION'] ?? 'us-east-1';
  if (!REGION.test(region)) {
    throw new ClientSettingsError(`region '${region}' must look like us-east-1`);
  }
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = env['AWS_SESSION_TOKEN'];
  let credentials: SigningCredentials;
  if (accessKeyId && secretAccessKey) {
    credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } else {
    const { rootAccessKeyId, rootSecretAccessKey } = serverConfig();
    credentials = { accessKeyId: rootAccessKeyId, secretAccessKey: rootSecretAccessKey };
  }
  return { endpoint, region, credentials };
}
