/**
 * What every client command shares at run time: building
 * and destroying the clients, Ctrl-C as an AbortSignal for the commands that keep running
 * (`--watch`, `--follow`, `--wait`), and one mapping from failures to messages and exit codes:
 * the server refusing a request (an AWS client fault) is invalid input, exit 2; an unreachable
 * server or a server fault is exit 1.
 */
import type { Clock } from '../../platform/clock.ts';
import { CliExit, type CliIo } from '../cli-io.ts';
import { type ClientSet, createClientSet } from './client-set.ts';
import { usageError } from './client-options.ts';
import { ClientSettingsError, type Env, resolveClientSettings } from './client-settings.ts';

export interface ClientCommandDeps {
  io: CliIo;
  clock: Clock;
  /** Where CRONBRIDGE_ENDPOINT and friends are read from. @default {} */
  env?: Env;
  /** Ends `--watch`/`--follow`/`--wait` the way Ctrl-C does; SIGINT when absent. */
  interrupt?: AbortSignal;
}

export interface ClientOptions {
  endpoint?: string;
  region?: string;
  json?: boolean;
}

export interface ClientContext {
  readonly io: CliIo;
  readonly clock: Clock;
  readonly clients: ClientSet;
  readonly json: boolean;
  /** Aborted on Ctrl-C. Listening starts on first use, so other commands keep Node's default. */
  interrupt(): AbortSignal;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The network code behind an error, looking through `cause` chains and AggregateErrors. */
export function connectionCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
  const nested = [
    (error as { cause?: unknown }).cause,
    ...((error as { errors?: unknown[] }).errors ?? []),
  ];
  for (const inner of nested) {
    const found = connectionCodeOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** An error answer from a server (SDK service exception or our client's). */
function serviceFault(error: unknown): { name: string; fault: 'client' | 'server' } | undefined {
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  if (fault !== 'client' && fault !== 'server') return undefined;
  return { name: (error as Error).name, fault };
}

/** Whether an error is the AbortSignal's doing (Ctrl-C), which commands treat as a normal end. */
export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error as Error | null)?.name === 'AbortError';
}

/**
 * Runs a client command: resolves settings, builds the clients, runs `work`, and always
 * destroys the clients and stops listening for Ctrl-C.
 */
export async function runClientCommand(
  deps: ClientCommandDeps,
  options: ClientOptions,
  work: (ctx: ClientContext) => Promise<void>,
): Promise<void> {
  let settings;
  try {
    settings = resolveClientSettings(
      {
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.region === undefined ? {} : { region: options.region }),
      },
      deps.env ?? {},
    );
  } catch (error) {
    if (error instanceof ClientSettingsError) usageError(deps.io, error.message);
    throw error;
  }
  // Requests are signed at wall-clock time, like the SDK clients do (client-set.ts).
  const clients = createClientSet(settings);
  let stopListening: (() => void) | undefined;
  let signal = deps.interrupt;
  const ctx: ClientContext = {
    io: deps.io,
    clock: deps.clock,
    clients,
    json: options.json === true,
    interrupt: () => {
      if (signal) return signal;
      const listened = listenForCtrlC();
      stopListening = listened.stop;
      signal = listened.signal;
      return signal;
    },
  };
  try {
    await work(ctx);
  } catch (error) {
    if (error instanceof CliExit) throw error;
    const network = connectionCodeOf(error);
    if (network) {
      deps.io.stderr(
        `cronbridge: cannot reach the cronbridge API at ${settings.endpoint} (${network}). ` +
          'Is `cronbridge up` running? Point elsewhere with --endpoint or CRONBRIDGE_ENDPOINT.\n',
      );
      throw new CliExit(1);
    }
    const fault = serviceFault(error);
    if (fault) {
      deps.io.stderr(`cronbridge: ${fault.name}: ${(error as Error).message}\n`);
      throw new CliExit(fault.fault === 'client' ? 2 : 1);
    }
    throw error;
  } finally {
    stopListening?.();
    clients.destroy();
  }
}

/** First Ctrl-C aborts (the command ends cleanly); a second one exits at once. */
function listenForCtrlC(): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, stop: () => process.off('SIGINT', onSigint) };
}
