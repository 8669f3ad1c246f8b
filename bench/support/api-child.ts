/**
 * Parent side of bench/support/api-server.ts: forks one benchmark server in its own Node process
 * (TypeScript through tsx, like npm scripts run), waits for its URL, reads its CPU time, stops it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { BenchServerKind, ChildMessage } from './api-server.ts';

const SERVER_SCRIPT = fileURLToPath(new URL('./api-server.ts', import.meta.url));

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  /** The server process's own CPU time so far (user + system), µs. */
  cpuMicros(): Promise<number>;
  /** Stops the server cleanly (server, engine, store, temp files) and waits for the exit. */
  stop(): Promise<void>;
}

function nextMessage<T extends ChildMessage>(
  child: ChildProcess,
  accept: (m: ChildMessage) => m is T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const message = raw as ChildMessage;
      if ('error' in message) {
        cleanup();
        reject(new Error(`bench server: ${message.error}`));
      } else if (accept(message)) {
        cleanup();
        resolve(message);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`bench server exited with code ${code}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startBenchServer(kind: BenchServerKind, runId: string): Promise<BenchServer> {
  const child = fork(SERVER_SCRIPT, [kind, runId], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await nextMessage(child, (m): m is { url: string } => 'url' in m);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid ?? 0,
    cpuMicros: async () => {
      const reply = nextMessage(child, (m): m is { cpu: NodeJS.CpuUsage } => 'cpu' in m);
      child.send('cpu');
      const { cpu } = await reply;
      return cpu.user + cpu.system;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const stopped = nextMessage(child, (m): m is { stopped: true } => 'stopped' in m).catch(
        () => undefined, // it may exit before the message is read; the exit is what counts
      );
      child.send('stop');
      await stopped;
      await exited;
    },
  };
}
