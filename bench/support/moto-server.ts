/**
 * moto's server as a peer to measure against: `python3 -m moto.server` on a free loopback port,
 * with whichever `python3` comes first on PATH (on the CI machines the pyenv one, which has moto).
 * CRONBRIDGE_MOTO_PYTHON names another interpreter. Its CPU time is read from /proc so the
 * table can show server CPU per request for both servers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import type { Clock } from '../../src/platform/clock.ts';

export interface MotoServer {
  readonly url: string;
  /** The server process's CPU time so far (user + system), µs. */
  cpuMicros(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of `pid` from /proc/<pid>/stat, µs. */
function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the `(comm)` part; utime and stime are the 14th and 15th of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

export async function startMoto(clock: Clock): Promise<MotoServer> {
  const python = process.env['CRONBRIDGE_MOTO_PYTHON'] || 'python3';
  const port = await freePort();
  const child: ChildProcess = spawn(
    python,
    ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) {
      throw new Error(`moto.server exited (${child.exitCode}); is moto installed? ${stderr}`);
    }
    const up = await fetch(`${url}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (waited > 30_000) throw new Error(`moto.server did not answer in 30 s: ${stderr}`);
    await clock.sleep(100);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    cpuMicros: () => processCpuMicros(child.pid ?? 0),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
