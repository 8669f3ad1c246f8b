import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { engineMessage, translateDockerError } from './docker-errors.ts';
import type { DockerOperation } from './docker-errors.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerRuntimeError,
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';

const address = 'unix:///var/run/docker.sock';

/** An error shaped like docker-modem's for an HTTP failure. */
function httpError(
  statusCode: number,
  reason: string,
  message: string,
  json: unknown = { message },
): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `), {
    statusCode,
    reason,
    json,
  });
}

function translate(error: unknown, operation: DockerOperation, extra: Record<string, string> = {}) {
  return translateDockerError(error, { operation, address, ...extra });
}

describe('translateDockerError', () => {
  it('turns socket failures into RuntimeUnavailableError with a fix', () => {
    const error = translate(
      Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }),
      'ping',
    );
    assert.ok(error instanceof RuntimeUnavailableError);
    assert.equal(error.code, 'ContainerRuntimeUnavailable');
    assert.equal(error.retryable, true);
    // A runtime error says what failed; the HTTP status is the business of whoever serves it.
    assert.equal('httpStatus' in error, false);
    assert.match(
      error.message,
      /^No container engine answers at unix:\/\/\/var\/run\/docker\.sock \(ENOENT: no socket at that path\)\. Start Docker/,
    );
    assert.match(error.message, /set DOCKER_HOST/);
    const denied = translate(
      Object.assign(new Error('connect EACCES'), { code: 'EACCES' }),
      'list',
    );
    assert.match(denied.message, /permission denied on the socket/);
  });

  it('maps HTTP statuses by operation', () => {
    const notFound = translate(
      httpError(404, 'no such container', 'No such container: abc'),
      'inspect',
      {
        containerId: 'abc',
      },
    );
    assert.ok(notFound instanceof ContainerNotFoundError);
    assert.equal(notFound.containerId, 'abc');
    assert.equal(notFound.message, 'No such container: abc');

    const conflict = translate(
      httpError(409, 'conflict', 'Conflict. The container name "/x" is already in use'),
      'create',
    );
    assert.ok(conflict instanceof ContainerConflictError);

    const noImage = translate(httpError(404, 'no such image', 'No such image: app:1'), 'create');
    assert.ok(noImage instanceof ContainerStartError);
    assert.equal(
      `${noImage.code}: ${noImage.message}`,
      'CannotStartContainerError: No such image: app:1',
    );

    const badStart = translate(
      httpError(400, 'bad parameter', 'exec: "nope": executable file not found in $PATH'),
      'start',
    );
    assert.ok(badStart instanceof ContainerStartError);

    const pull = translate(
      httpError(500, 'server error', 'Get "https://r/v2/": connection refused', null),
      'pull',
      {
        image: 'r/app:1',
      },
    );
    assert.ok(pull instanceof ImagePullError);
    assert.equal(pull.image, 'r/app:1');
    assert.equal(
      `${pull.code}: ${pull.message}`,
      'CannotPullContainerError: Get "https://r/v2/": connection refused',
    );

    const other = translate(httpError(500, 'server error', 'disk full'), 'stats');
    assert.ok(other instanceof ContainerRuntimeError);
    assert.equal(other.code, 'ContainerRuntimeError');
    assert.equal(other.message, 'stats failed: disk full');
    assert.equal(other.retryable, true);
  });

  it('passes runtime errors through unchanged', () => {
    const original = new ImagePullError('a', 'timed out');
    assert.equal(translate(original, 'pull'), original);
  });

  it('reads the engine message from the JSON body or the modem text', () => {
    assert.equal(
      engineMessage(httpError(404, 'x', 'from text', { message: 'from json ' })),
      'from json',
    );
    assert.equal(
      engineMessage(httpError(404, 'no such container', 'from text', null)),
      'from text',
    );
    assert.equal(engineMessage('plain'), 'plain');
  });
});
