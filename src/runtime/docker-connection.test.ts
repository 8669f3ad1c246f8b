import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { describeConnection, parseDockerHost } from './docker-connection.ts';

describe('parseDockerHost', () => {
  it('defaults to Docker’s socket and accepts unix://, bare paths and tcp://', () => {
    assert.deepEqual(parseDockerHost(undefined), {
      kind: 'socket',
      socketPath: '/var/run/docker.sock',
    });
    assert.deepEqual(parseDockerHost('  '), { kind: 'socket', socketPath: '/var/run/docker.sock' });
    assert.deepEqual(parseDockerHost('unix:///run/user/1000/podman/podman.sock'), {
      kind: 'socket',
      socketPath: '/run/user/1000/podman/podman.sock',
    });
    assert.deepEqual(parseDockerHost('/tmp/d.sock'), { kind: 'socket', socketPath: '/tmp/d.sock' });
    assert.deepEqual(parseDockerHost('tcp://127.0.0.1:2375'), {
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
    });
    assert.deepEqual(parseDockerHost('tcp://localhost'), {
      kind: 'tcp',
      host: 'localhost',
      port: 2375,
    });
  });

  it('rejects schemes it cannot speak', () => {
    assert.throws(() => parseDockerHost('ssh://me@host'), /only unix:\/\/ sockets and tcp:\/\//);
    assert.throws(() => parseDockerHost('unix://relative.sock'), /must be absolute/);
  });

  it('describes a connection for messages', () => {
    assert.equal(describeConnection(parseDockerHost(undefined)), 'unix:///var/run/docker.sock');
    assert.equal(describeConnection(parseDockerHost('tcp://10.0.0.1:2376')), 'tcp://10.0.0.1:2376');
  });
});
