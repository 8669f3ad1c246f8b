import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { MemoryRuntime } from '../../runtime/memory-runtime.ts';
import type { CliExit } from '../cli-io.ts';
import { main } from '../main.ts';
import type { UpServer } from '../up/up.server.ts';
import { runUp, type UpDeps } from './up.ts';

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const clock = new ManualClock(Date.parse('2026-07-01T10:00:00Z'));
  const signals = new EventEmitter();
  const exits: number[] = [];
  const runtime = new MemoryRuntime({ clock });
  let started!: (server: UpServer) => void;
  const up = new Promise<UpServer>((resolve) => (started = resolve));
  const deps: UpDeps = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    clock,
    env: {},
    signals,
    exit: (code) => exits.push(code),
    createRuntime: () => runtime,
    onStarted: (server) => started(server),
  };
  const dataDir = join(mkdtempSync(join(tmpdir(), 'cronbridge-up-cmd-')), 'data');
  return { out, err, clock, signals, exits, runtime, up, deps, dataDir };
}

describe('cronbridge up (command)', () => {
  it('runs until SIGTERM, then stops gracefully and returns (exit 0)', async () => {
    const h = harness();
    const run = runUp({ port: '0', dataDir: h.dataDir, taskNetwork: 'none' }, h.deps);
    const server = await h.up;
    assert.match(
      h.out.join(''),
      /^cronbridge is up\n {2}API endpoint {2}http:\/\/127\.0\.0\.1:\d+\n/,
    );
    const health = await fetch(`${server.address.url}/health`);
    assert.equal(health.status, 200);

    h.signals.emit('SIGTERM', 'SIGTERM');
    await run;
    const text = h.out.join('');
    assert.match(text, /SIGTERM received: shutting down; send it again to force\n/);
    assert.match(text, /cronbridge stopped\n$/);
    assert.deepEqual(h.exits, [0], 'the process is ended explicitly once stopped');
    assert.equal(h.signals.listenerCount('SIGTERM'), 0);
    await assert.rejects(fetch(`${server.address.url}/health`), 'the API no longer listens');
  });

  it('a signal during start-up stops the server once it is up', async () => {
    const h = harness();
    const run = runUp({ port: '0', dataDir: h.dataDir }, h.deps);
    h.signals.emit('SIGINT', 'SIGINT');
    await run;
    const server = await h.up;
    await assert.rejects(fetch(`${server.address.url}/health`));
    assert.match(h.out.join(''), /cronbridge stopped\n$/);
  });

  it('invalid configuration exits 2 with the reason, before anything starts', async () => {
    const h = harness();
    await assert.rejects(
      runUp({ port: 'abc', dataDir: h.dataDir }, h.deps),
      (e: CliExit) => e.exitCode === 2,
    );
    assert.match(h.err.join(''), /^cronbridge up: invalid configuration: port: /);
    assert.equal(existsSync(h.dataDir), false);
    assert.equal(h.signals.listenerCount('SIGINT'), 0);
  });

  it('through main: no engine at --docker-host exits 1 naming what was tried', async () => {
    const h = harness();
    const code = await main(
      [
        'node',
        'cronbridge',
        'up',
        '--port',
        '0',
        '--data-dir',
        h.dataDir,
        '--docker-host',
        `unix://${h.dataDir}-no-such.sock`,
      ],
      { io: h.deps.io, clock: new ManualClock(0), env: {} },
    );
    assert.equal(code, 1);
    const message = h.err.join('');
    assert.ok(
      message.startsWith(
        `cronbridge up: cannot reach a container engine at unix://${h.dataDir}-no-such.sock ` +
          '(from --docker-host): ENOENT: no socket at that path.\n',
      ),
      message,
    );
    assert.match(message, /DOCKER_HOST=unix:\/\/\/path\/to\/docker\.sock/);
    assert.equal(existsSync(h.dataDir), false);
    assert.equal(h.out.join(''), '');
  });

  it('through main: an unusable DOCKER_HOST is a configuration error (exit 2)', async () => {
    const h = harness();
    const code = await main(['node', 'cronbridge', 'up', '--data-dir', h.dataDir], {
      io: h.deps.io,
      clock: new ManualClock(0),
      env: { DOCKER_HOST: 'ssh://box' },
    });
    assert.equal(code, 2);
    assert.match(h.err.join(''), /unusable container engine address \(from DOCKER_HOST\)/);
  });
});
