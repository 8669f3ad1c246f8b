import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  type ContainerProgress,
  dependencyVerdict,
  shutdownOrder,
} from './container-dependencies.ts';

const pending: ContainerProgress = { status: 'PENDING', started: false };
const running: ContainerProgress = { status: 'RUNNING', started: true };
const exited = (exitCode: number): ContainerProgress => ({
  status: 'STOPPED',
  started: true,
  exitCode,
});
const neverStarted: ContainerProgress = { status: 'STOPPED', started: false };

function verdict(
  condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY',
  target?: ContainerProgress,
) {
  const progress = new Map<string, ContainerProgress>();
  if (target) progress.set('init', target);
  return dependencyVerdict([{ containerName: 'init', condition }], progress);
}

describe('dependsOn conditions', () => {
  it('START waits for the dependency to start, then stays satisfied after it exits', () => {
    assert.equal(verdict('START', pending).kind, 'waiting');
    assert.equal(verdict('START', running).kind, 'ready');
    assert.equal(verdict('START', exited(1)).kind, 'ready');
  });

  it('COMPLETE waits for an exit of any code', () => {
    assert.equal(verdict('COMPLETE', running).kind, 'waiting');
    assert.equal(verdict('COMPLETE', exited(3)).kind, 'ready');
  });

  it('SUCCESS needs exit code 0 and fails for good otherwise', () => {
    assert.equal(verdict('SUCCESS', running).kind, 'waiting');
    assert.equal(verdict('SUCCESS', exited(0)).kind, 'ready');
    assert.deepEqual(verdict('SUCCESS', exited(2)), {
      kind: 'failed',
      reason: 'dependency condition SUCCESS not met: container init exited with code 2',
    });
  });

  it('HEALTHY follows the health check and fails when the dependency dies first', () => {
    assert.equal(verdict('HEALTHY', { ...running, health: 'STARTING' }).kind, 'waiting');
    assert.equal(verdict('HEALTHY', { ...running, health: 'HEALTHY' }).kind, 'ready');
    assert.equal(verdict('HEALTHY', { ...running, health: 'UNHEALTHY' }).kind, 'failed');
    assert.equal(verdict('HEALTHY', exited(0)).kind, 'failed');
  });

  it('fails every condition on a container that never started or does not exist', () => {
    for (const c of ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const) {
      assert.equal(verdict(c, neverStarted).kind, 'failed');
      assert.equal(verdict(c).kind, 'failed');
    }
  });

  it('combines several dependencies: a failure beats waiting, waiting beats ready', () => {
    const progress = new Map<string, ContainerProgress>([
      ['a', exited(0)],
      ['b', running],
      ['c', exited(1)],
    ]);
    assert.equal(
      dependencyVerdict(
        [
          { containerName: 'a', condition: 'SUCCESS' },
          { containerName: 'b', condition: 'COMPLETE' },
        ],
        progress,
      ).kind,
      'waiting',
    );
    assert.equal(
      dependencyVerdict(
        [
          { containerName: 'b', condition: 'COMPLETE' },
          { containerName: 'c', condition: 'SUCCESS' },
        ],
        progress,
      ).kind,
      'failed',
    );
    assert.equal(dependencyVerdict([], progress).kind, 'ready');
  });
});

describe('shutdownOrder', () => {
  it('stops dependents before their dependencies', () => {
    const order = shutdownOrder([
      { name: 'app', dependsOn: [{ containerName: 'proxy', condition: 'START' }] },
      { name: 'proxy', dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
      { name: 'init' },
      { name: 'logger' },
    ]);
    assert.ok(order.indexOf('app') < order.indexOf('proxy'));
    assert.ok(order.indexOf('proxy') < order.indexOf('init'));
    assert.equal(order.length, 4);
  });
});
