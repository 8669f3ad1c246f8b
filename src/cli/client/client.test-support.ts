/**
 * For unit tests of the client commands: one engine on the in-memory container runtime behind
 * the real API server on an ephemeral loopback port (the engine fixture, as `cronbridge up` wires
 * it), and a runner
 * that calls `main()` in-process with captured output.
 */
import { ManualClock, type Clock } from '../../platform/clock.ts';
import { MemoryRuntime } from '../../runtime/memory-runtime.ts';
import type { Engine } from '../../engine/engine.ts';
import { startTestEngine } from '../../engine/engine.fixture.ts';
import { main } from '../main.ts';

/** 2026-07-01T10:00:00Z */
export const T0 = Date.UTC(2026, 6, 1, 10);

export const JOB_IMAGE = 'cronbridge-test/job:latest';

export interface MemoryEngine extends AsyncDisposable {
  engine: Engine;
  clock: ManualClock;
  url: string;
}

export async function memoryEngine(
  options: { clock?: ManualClock; runtime?: (clock: ManualClock) => MemoryRuntime } = {},
): Promise<MemoryEngine> {
  const clock = options.clock ?? new ManualClock(T0);
  const fx = await startTestEngine({
    runtime: () =>
      options.runtime?.(clock) ?? new MemoryRuntime({ clock, localImages: [JOB_IMAGE] }),
    clock,
    startFiring: true,
  });
  return { engine: fx.engine, clock, url: fx.url, [Symbol.asyncDispose]: fx.close };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cronbridge <args…>` in-process; the environment is empty unless given. */
export async function runCli(
  args: string[],
  deps: { clock: Clock; env?: Record<string, string>; interrupt?: AbortSignal },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'cronbridge', ...args], {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    clock: deps.clock,
    env: deps.env ?? {},
    ...(deps.interrupt ? { interrupt: deps.interrupt } : {}),
  });
  return { code, stdout, stderr };
}
