/**
 * IAM users and access keys through SDK v3: the key pair comes back once, listings show only the
 * public half, the two-key quota, status changes, and a user that keeps keys cannot be deleted.
 * The lookup SigV4 verification uses finds the identity behind a key, and forgets deleted ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  GetUserCommand,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

import { iamSuite, rejectsWithIamError } from './iam.test-support.ts';

import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';

const T0 = Date.UTC(2026, 0, 1);

const rejectsWith = (promise: Promise<unknown>, name: string, status: number, message: string) =>
  rejectsWithIamError(promise, { name, status, message });

describe('IAM users and access keys (SDK v3, ap-northeast-1: IAM is global)', () => {
  const suite = iamSuite({ startMs: T0, region: 'ap-northeast-1' });

  it('creates a user with a global ARN and lists it', async () => {
    const { User } = await suite.iam.send(
      new CreateUserCommand({
        UserName: 'deployer',
        Path: '/ci/',
        Tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    assert.equal(User?.Arn, 'arn:aws:iam::000000000000:user/ci/deployer');
    assert.match(User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.equal(User?.CreateDate?.getTime(), T0);
    const got = await suite.iam.send(new GetUserCommand({ UserName: 'deployer' }));
    assert.deepEqual(got.User?.Tags, [{ Key: 'team', Value: 'ops' }]);
    const { Users = [] } = await suite.iam.send(new ListUsersCommand({ PathPrefix: '/ci/' }));
    assert.deepEqual(
      Users.map((u) => u.UserName),
      ['deployer'],
    );
    await rejectsWith(
      suite.iam.send(new CreateUserCommand({ UserName: 'deployer' })),
      'EntityAlreadyExistsException',
      409,
      'User with name deployer already exists.',
    );
    await rejectsWith(
      suite.iam.send(new GetUserCommand({ UserName: 'nobody' })),
      'NoSuchEntityException',
      404,
      'The user with name nobody cannot be found.',
    );
  });

  it('issues at most two keys, shows the secret once, and keeps the user while keys remain', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const first = (await suite.iam.send(new CreateAccessKeyCommand({ UserName: 'reader' })))
      .AccessKey;
    const second = (await suite.iam.send(new CreateAccessKeyCommand({ UserName: 'reader' })))
      .AccessKey;
    assert.match(first?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.match(first?.SecretAccessKey ?? '', /^[A-Za-z0-9+/]{40}$/);
    assert.equal(first?.Status, 'Active');
    assert.notEqual(first?.AccessKeyId, second?.AccessKeyId);
    await rejectsWith(
      suite.iam.send(new CreateAccessKeyCommand({ UserName: 'reader' })),
      'LimitExceededException',
      409,
      'Cannot exceed quota for AccessKeysPerUser: 2',
    );

    const { AccessKeyMetadata = [] } = await suite.iam.send(
      new ListAccessKeysCommand({ UserName: 'reader' }),
    );
    assert.equal(AccessKeyMetadata.length, 2);
    assert.ok(AccessKeyMetadata.every((k) => !('SecretAccessKey' in k)));

    const id = first?.AccessKeyId as string;
    const found = await suite.fx.engine.iam.accessKeys.lookup(id);
    assert.deepEqual(
      { secret: found?.secretAccessKey, active: found?.active, arn: found?.principalArn },
      {
        secret: first?.SecretAccessKey,
        active: true,
        arn: 'arn:aws:iam::000000000000:user/reader',
      },
    );
    await suite.iam.send(
      new UpdateAccessKeyCommand({ UserName: 'reader', AccessKeyId: id, Status: 'Inactive' }),
    );
    assert.equal((await suite.fx.engine.iam.accessKeys.lookup(id))?.active, false);

    await rejectsWith(
      suite.iam.send(new DeleteUserCommand({ UserName: 'reader' })),
      'DeleteConflictException',
      409,
      'Cannot delete entity, must delete access keys first.',
    );
    for (const k of AccessKeyMetadata) {
      await suite.iam.send(
        new DeleteAccessKeyCommand({ UserName: 'reader', AccessKeyId: k.AccessKeyId }),
      );
    }
    assert.equal(await suite.fx.engine.iam.accessKeys.lookup(id), undefined);
    await rejectsWith(
      suite.iam.send(new DeleteAccessKeyCommand({ UserName: 'reader', AccessKeyId: id })),
      'NoSuchEntityException',
      404,
      `The Access Key with id ${id} cannot be found.`,
    );
    await suite.iam.send(new DeleteUserCommand({ UserName: 'reader' }));
  });

  it('refuses a status other than Active or Inactive', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'ops' }));
    const key = (await suite.iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey;
    await assert.rejects(
      suite.iam.send(
        new UpdateAccessKeyCommand({
          UserName: 'ops',
          AccessKeyId: key?.AccessKeyId,
          Status: 'Paused' as 'Active',
        }),
      ),
      (err: unknown) => err instanceof IAMServiceException && err.name === 'ValidationError',
    );
  });

  it('verifies requests signed with a user’s active key as that user, and refuses it once inactive', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'ci-bot' }));
    const key = (await suite.iam.send(new CreateAccessKeyCommand({ UserName: 'ci-bot' })))
      .AccessKey;
    const asUser = (secretAccessKey: string) =>
      new STSClient({
        endpoint: suite.fx.url,
        region: 'ap-northeast-1',
        credentials: { accessKeyId: key?.AccessKeyId as string, secretAccessKey },
        maxAttempts: 1,
      });
    const sts = asUser(key?.SecretAccessKey as string);
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(
      { Arn: me.Arn, Account: me.Account, UserId: me.UserId },
      {
        Arn: 'arn:aws:iam::000000000000:user/ci-bot',
        Account: '000000000000',
        UserId: (await suite.iam.send(new GetUserCommand({ UserName: 'ci-bot' }))).User?.UserId,
      },
    );
    const wrong = asUser('not-the-secret-of-this-key-0000000000000');
    await assert.rejects(
      wrong.send(new GetCallerIdentityCommand({})),
      (err: unknown) => err instanceof STSServiceException && err.name === 'SignatureDoesNotMatch',
    );
    await suite.iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'ci-bot',
        AccessKeyId: key?.AccessKeyId,
        Status: 'Inactive',
      }),
    );
    await assert.rejects(
      sts.send(new GetCallerIdentityCommand({})),
      (err: unknown) => err instanceof STSServiceException && err.name === 'InvalidClientTokenId',
    );
    sts.destroy();
    wrong.destroy();
  });
});
