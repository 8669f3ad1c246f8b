/**
 * Debian's AWS CLI v2 (/usr/bin/aws) against the engine's API with the right key, a wrong secret
 * and an unknown key: signatures are verified, and each service family answers in its own code.
 * Needs no Docker; skips with a message when the CLI is missing, unless RUN_INTEGRATION_TESTS=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestEngine, type TestEngine } from '../../src/engine/engine.fixture.ts';
import { AWS_CLI, awsCliEnv, awsCliGate, runProcess } from '../support/aws-cli.ts';

const skip = awsCliGate();
if (skip) console.log(`# ${skip}`);

describe('AWS CLI v2 and SigV4 verification', { skip }, () => {
  let fx: TestEngine;

  before(async () => {
    fx = await startTestEngine({ runtime: 'memory' });
  });
  after(async () => {
    await fx?.close();
  });

  const aws = (keys: { id: string; secret: string }, region: string, ...args: string[]) =>
    runProcess(AWS_CLI, ['--endpoint-url', fx.url, '--output', 'json', ...args], {
      env: awsCliEnv({
        AWS_ACCESS_KEY_ID: keys.id,
        AWS_SECRET_ACCESS_KEY: keys.secret,
        AWS_DEFAULT_REGION: region,
      }),
    });
  const errorCode = (stderr: string) => /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];

  for (const region of ['us-east-1', 'ap-northeast-1']) {
    it(`${region}: sts get-caller-identity names root with the right key only`, async () => {
      const ok = await aws({ id: 'test', secret: 'test' }, region, 'sts', 'get-caller-identity');
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), {
        UserId: '000000000000',
        Account: '000000000000',
        Arn: 'arn:aws:iam::000000000000:root',
      });
      const wrong = await aws(
        { id: 'test', secret: 'wrong' },
        region,
        'sts',
        'get-caller-identity',
      );
      assert.notEqual(wrong.code, 0);
      assert.equal(errorCode(wrong.stderr), 'SignatureDoesNotMatch');
      const unknown = await aws(
        { id: 'AKIAUNKNOWN', secret: 'x' },
        region,
        'sts',
        'get-caller-identity',
      );
      assert.equal(errorCode(unknown.stderr), 'InvalidClientTokenId');
    });

    it(`${region}: ECS, Events, Logs, IAM and EC2 refuse a wrong secret in their own code`, async () => {
      const cases: [string[], string, string][] = [
        [['ecs', 'list-clusters'], 'InvalidSignatureException', 'UnrecognizedClientException'],
        [['events', 'list-rules'], 'InvalidSignatureException', 'UnrecognizedClientException'],
        [
          ['logs', 'describe-log-groups'],
          'InvalidSignatureException',
          'UnrecognizedClientException',
        ],
        [['iam', 'list-roles'], 'SignatureDoesNotMatch', 'InvalidClientTokenId'],
        [['ec2', 'describe-vpcs'], 'AuthFailure', 'AuthFailure'],
      ];
      for (const [args, wrongCode, unknownCode] of cases) {
        const ok = await aws({ id: 'test', secret: 'test' }, region, ...args);
        assert.equal(ok.code, 0, `${args.join(' ')}: ${ok.stderr}`);
        const wrong = await aws({ id: 'test', secret: 'wrong' }, region, ...args);
        assert.equal(errorCode(wrong.stderr), wrongCode, `${args.join(' ')}: ${wrong.stderr}`);
        const unknown = await aws({ id: 'AKIAUNKNOWN', secret: 'x' }, region, ...args);
        assert.equal(
          errorCode(unknown.stderr),
          unknownCode,
          `${args.join(' ')}: ${unknown.stderr}`,
        );
      }
    });
  }
});
