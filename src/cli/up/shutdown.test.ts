import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { handleShutdownSignals, SHUTDOWN_SIGNALS, type ShutdownOptions } from './shutdown.ts';

/** A stop the test finishes (or fails) when it wants. */
function controllableStop() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  let calls = 0;
  const stop = () => {
    calls++;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return { stop, finish: () => finish(), fail: (e: Error) => fail(e), calls: () => calls };
}

function setup(overrides: Partial<ShutdownOptions> = {}) {
  const signals = new EventEmitter();
  const clock = new ManualClock(0);
  const said: string[] = [];
  const exits: number[] = [];
  const control = controllableStop();
  const handle = handleShutdownSignals({
    signals,
    clock,
    stop: control.stop,
    exit: (code) => exits.push(code),
    say: (line) => said.push(line),
    graceMs: 10_000,
    ...overrides,
  });
  const listeners = () => SHUTDOWN_SIGNALS.map((s) => signals.listenerCount(s));
  return { signals, clock, said, exits, control, handle, listeners };
}

describe('up shutdown signals', () => {
  it('first SIGTERM stops gracefully and resolves 0; handlers are removed after', async () => {
    const fx = setup({ runningTasks: () => 2 });
    assert.deepEqual(fx.listeners(), [1, 1]);
    fx.signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(fx.control.calls(), 1);
    assert.match(fx.said[0] ?? '', /^SIGTERM received: shutting down \(2 running tasks keep/);
    fx.control.finish();
    assert.equal(await fx.handle.done, 0);
    assert.deepEqual(fx.exits, []);
    assert.equal(fx.said.at(-1), 'cronbridge stopped');
    assert.deepEqual(fx.listeners(), [0, 0]);
    // The watchdog was cancelled: nothing fires long after.
    await fx.clock.advance(60_000);
    assert.deepEqual(fx.exits, []);
  });

  it('a second signal while stopping forces exit 1 without a second stop', async () => {
    const fx = setup();
    fx.signals.emit('SIGINT', 'SIGINT');
    fx.signals.emit('SIGINT', 'SIGINT');
    assert.deepEqual(fx.exits, [1]);
    assert.equal(fx.control.calls(), 1);
    assert.match(fx.said.at(-1) ?? '', /SIGINT received again: forcing exit/);
  });

  it('a stop that overruns the grace period is forced by the watchdog', async () => {
    const fx = setup();
    fx.signals.emit('SIGTERM', 'SIGTERM');
    await fx.clock.advance(9_999);
    assert.deepEqual(fx.exits, []);
    await fx.clock.advance(1);
    assert.deepEqual(fx.exits, [1]);
    assert.match(fx.said.at(-1) ?? '', /did not finish within 10s: forcing exit/);
  });

  it('a failed stop ends with code 1 and says why', async () => {
    const fx = setup();
    fx.signals.emit('SIGTERM', 'SIGTERM');
    fx.control.fail(new Error('store busy'));
    assert.equal(await fx.handle.done, 1);
    assert.equal(fx.said.at(-1), 'shutdown failed: store busy');
    assert.deepEqual(fx.exits, []);
  });

  it('dispose removes the handlers without stopping', () => {
    const fx = setup();
    fx.handle.dispose();
    assert.deepEqual(fx.listeners(), [0, 0]);
    assert.equal(fx.control.calls(), 0);
  });
});
