import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ContainerStartError,
  EngineTimeoutError,
  ImagePullError,
  RuntimeUnavailableError,
} from '../runtime/runtime.errors.ts';
import {
  createFailureReason,
  logSetupFailureReason,
  pullFailureReason,
  startFailureReason,
} from './stop-reasons.ts';

describe('stop reasons', () => {
  it('writes runtime errors as <code>: <message> and others under the phase code', () => {
    assert.equal(
      pullFailureReason(new ImagePullError('app:1', 'pull access denied')),
      'CannotPullContainerError: pull access denied',
    );
    assert.match(
      pullFailureReason(new RuntimeUnavailableError('unix:///x.sock', 'ENOENT')),
      /^ContainerRuntimeUnavailable: No container engine answers at unix:\/\/\/x\.sock/,
    );
    assert.equal(pullFailureReason(new Error('boom')), 'CannotPullContainerError: boom');
    assert.equal(
      startFailureReason(new ContainerStartError('exec: "nope": not found')),
      'CannotStartContainerError: exec: "nope": not found',
    );
    assert.equal(startFailureReason(new Error('odd')), 'odd');
    assert.equal(
      createFailureReason(new ContainerStartError('No such image: a:1')),
      'CannotCreateContainerError: No such image: a:1',
    );
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    assert.equal(
      logSetupFailureReason(denied),
      'ResourceInitializationError: failed to validate logger args: failed to create ' +
        'Cloudwatch log stream: AccessDeniedException: denied : exit status 1',
    );
  });

  it('writes an engine call that timed out under the phase ECS would blame', () => {
    assert.equal(
      pullFailureReason(new EngineTimeoutError('pull', 660000)),
      'CannotPullContainerError: the container engine did not answer pull within 660000 ms',
    );
    assert.equal(
      startFailureReason(new EngineTimeoutError('start', 60000)),
      'CannotStartContainerError: the container engine did not answer start within 60000 ms',
    );
    assert.equal(
      createFailureReason(new EngineTimeoutError('create', 60000)),
      'CannotCreateContainerError: the container engine did not answer create within 60000 ms',
    );
  });
});
