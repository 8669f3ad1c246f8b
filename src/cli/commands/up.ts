/**
 * `cronbridge up`: the long-running server. One process runs scheduled rules, ECS tasks on the
 * container engine and the AWS-compatible API on one port, until SIGINT/SIGTERM. The config is
 * parsed here once (defaults < --config file < environment < flags) and passed down; the work is
 * in `../up/`.
 *
 * Exit codes: 0 after a graceful stop, 1 when start-up fails for an operational reason (no
 * container engine, port taken) or the stop was forced, 2 for invalid configuration.
 */
import type { Command } from 'commander';

import type { Clock } from '../../platform/clock.ts';
import { ConfigError, type ConfigInput, loadConfig } from '../../platform/config.ts';
import type { ContainerRuntime } from '../../runtime/container-runtime.ts';
import type { DockerConnection } from '../../runtime/docker-connection.ts';
import { CliExit, type CliIo } from '../cli-io.ts';
import { handleShutdownSignals, type SignalSource } from '../up/shutdown.ts';
import type { DockerHostSource } from '../up/up.errors.ts';
import { UpStartupError } from '../up/up.errors.ts';
import { startUpServer, type UpServer, type UpServerDeps } from '../up/up.server.ts';

/** Flags as commander hands them over (all strings). */
export interface UpFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  dockerHost?: string;
  taskNetwork?: string;
  config?: string;
  /** `--allow-host-access` (commander gives true when present). */
  allowHostAccess?: boolean;
}

export interface UpDeps {
  io: CliIo;
  clock: Clock;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** @default process */
  signals?: SignalSource;
  /** Ends the process after the stop (graceful or forced). @default process.exit */
  exit?: (code: number) => void;
  /** Tests run on a MemoryRuntime. @default a DockerRuntime */
  createRuntime?: (connection: DockerConnection, clock: Clock) => ContainerRuntime;
  /** Called once the server is up (tests drive it from here). */
  onStarted?: (server: UpServer) => void;
  /** Extra server tuning (tests). */
  server?: Pick<UpServerDeps, 'housekeepingIntervalMs' | 'engine'>;
  /** @default 30000 */
  graceMs?: number;
}

function dockerHostSource(
  flags: UpFlags,
  env: Readonly<Record<string, string | undefined>>,
  resolved: string,
): DockerHostSource {
  if (flags.dockerHost !== undefined) return '--docker-host';
  if (env['DOCKER_HOST']) return 'DOCKER_HOST';
  return resolved === 'unix:///var/run/docker.sock' ? 'default' : 'config file';
}

/** Runs the server until a signal stops it; throws CliExit for non-zero endings. */
export async function runUp(flags: UpFlags, deps: UpDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const line = (text: string) => deps.io.stdout(`${text}\n`);
  const fail = (text: string, code: number): never => {
    deps.io.stderr(`cronbridge up: ${text}\n`);
    throw new CliExit(code);
  };

  const flagInput: Partial<ConfigInput> = {
    host: flags.host,
    port: flags.port,
    dataDir: flags.dataDir,
    dockerHost: flags.dockerHost,
    taskNetwork: flags.taskNetwork,
    allowHostAccess: flags.allowHostAccess,
  };
  let config;
  try {
    config = loadConfig({
      ...(flags.config ? { file: flags.config } : {}),
      env,
      flags: flagInput,
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, 2);
    throw error;
  }

  const signals = deps.signals ?? process;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const starting = startUpServer(config, {
    clock: deps.clock,
    write: line,
    dockerHostSource: dockerHostSource(flags, env, config.dockerHost),
    ...(deps.createRuntime ? { createRuntime: deps.createRuntime } : {}),
    ...deps.server,
  });
  // Handlers go in while start-up runs (no signal is handled before this synchronous code ends),
  // so Ctrl-C during a slow start still stops cleanly: the stop waits for the start to finish
  // (or fail) and then undoes it.
  let server: UpServer | undefined;
  const shutdown = handleShutdownSignals({
    signals,
    clock: deps.clock,
    exit,
    say: line,
    stop: async () => {
      const started = await starting.catch(() => undefined);
      await started?.stop();
    },
    runningTasks: () => server?.engine.supervisor.activeTaskArns().length ?? 0,
    ...(deps.graceMs === undefined ? {} : { graceMs: deps.graceMs }),
  });
  try {
    server = await starting;
  } catch (error) {
    shutdown.dispose();
    if (error instanceof UpStartupError) return fail(error.message, error.exitCode);
    throw error;
  }
  deps.onStarted?.(server);
  const code = await shutdown.done;
  // Detaching aborts every Docker request a task run holds, so the process would end on its own;
  // ending it explicitly is a safety net against any handle a library leaves open (an engine
  // call hung mid-flight), now that the stop is complete and every line is written.
  exit(code);
  if (code !== 0) throw new CliExit(code);
}

export function configureUpCommand(program: Command, deps: UpDeps): void {
  program
    .command('up')
    .description(
      'Run cronbridge: scheduled rules fire ECS tasks as containers; AWS-compatible API on one port',
    )
    .option('--host <host>', 'address the API listens on (default 127.0.0.1)')
    .option('--port <port>', 'API port; 0 picks a free one (default 4566)')
    .option('--data-dir <dir>', 'directory of the SQLite store (default ./.cronbridge)')
    .option(
      '--docker-host <url>',
      'container engine: unix:///path/docker.sock or tcp://host:port (default DOCKER_HOST)',
    )
    .option('--task-network <name>', "Docker network of awsvpc tasks (default 'bridge')")
    .option('--config <file>', 'JSON config file (flags and environment win over it)')
    .option(
      '--allow-host-access',
      'let task definitions use host network, privileged mode, host volumes, … (EC2-like; default off)',
    )
    .action((flags: UpFlags) => runUp(flags, deps));
}
