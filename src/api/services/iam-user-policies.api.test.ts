/**
 * Policies of IAM users through SDK v3: inline policies (put, get, list, delete, the 2,048
 * character quota), attached managed policies (attach, list, detach, the quota of 10, the
 * policy's AttachmentCount), DeleteUser refused while either remains, and the documents policy
 * evaluation reads for the user's ARN.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';

import { iamSuite, rejectsWithIamError } from './iam.test-support.ts';

const ACCT = '000000000000';
const LOGS_FULL = 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess';
const READ_ECS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' }],
});

const rejectsWith = (promise: Promise<unknown>, name: string, message: string | RegExp) =>
  rejectsWithIamError(promise, { name, message });

describe('IAM user policies (SDK v3)', () => {
  const suite = iamSuite({ startMs: Date.parse('2026-01-01T00:00:00Z'), region: 'ap-northeast-1' });

  it('puts, reads, lists and deletes inline policies', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await suite.iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'read-ecs',
        PolicyDocument: READ_ECS,
      }),
    );
    const got = await suite.iam.send(
      new GetUserPolicyCommand({ UserName: 'reader', PolicyName: 'read-ecs' }),
    );
    assert.equal(got.UserName, 'reader');
    assert.equal(got.PolicyName, 'read-ecs');
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), READ_ECS);
    const listed = await suite.iam.send(new ListUserPoliciesCommand({ UserName: 'reader' }));
    assert.deepEqual(listed.PolicyNames, ['read-ecs']);

    assert.deepEqual(
      await suite.fx.engine.iam.identityPolicies(`arn:aws:iam::${ACCT}:user/reader`),
      [{ name: 'read-ecs', document: JSON.parse(READ_ECS) }],
    );

    await rejectsWith(
      suite.iam.send(new GetUserPolicyCommand({ UserName: 'reader', PolicyName: 'nope' })),
      'NoSuchEntityException',
      'The user policy with name nope cannot be found for user reader.',
    );
    await rejectsWith(
      suite.iam.send(
        new PutUserPolicyCommand({ UserName: 'ghost', PolicyName: 'p', PolicyDocument: READ_ECS }),
      ),
      'NoSuchEntityException',
      'The user with name ghost cannot be found.',
    );
    await rejectsWith(
      suite.iam.send(
        new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'bad', PolicyDocument: '{' }),
      ),
      'MalformedPolicyDocumentException',
      'This policy contains invalid Json',
    );
    await rejectsWith(
      suite.iam.send(new DeleteUserCommand({ UserName: 'reader' })),
      'DeleteConflictException',
      'Cannot delete entity, must delete policies first.',
    );
    await suite.iam.send(
      new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'read-ecs' }),
    );
    await rejectsWith(
      suite.iam.send(new DeleteUserPolicyCommand({ UserName: 'reader', PolicyName: 'read-ecs' })),
      'NoSuchEntityException',
      'The user policy with name read-ecs cannot be found for user reader.',
    );
    assert.deepEqual(
      await suite.fx.engine.iam.identityPolicies(`arn:aws:iam::${ACCT}:user/reader`),
      [],
    );
    await suite.iam.send(new DeleteUserCommand({ UserName: 'reader' }));
  });

  it('refuses inline policies of one user that add up to more than 2,048 characters', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'big' }));
    const withSid = (sid: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: sid, Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }],
      });
    // Whitespace does not count: a pretty-printed document the same as a compact one.
    const pretty = JSON.stringify(JSON.parse(withSid('A'.repeat(1000))), null, 8);
    await suite.iam.send(
      new PutUserPolicyCommand({ UserName: 'big', PolicyName: 'one', PolicyDocument: pretty }),
    );
    // Replacing a policy counts only the new version of it.
    await suite.iam.send(
      new PutUserPolicyCommand({ UserName: 'big', PolicyName: 'one', PolicyDocument: pretty }),
    );
    await rejectsWith(
      suite.iam.send(
        new PutUserPolicyCommand({
          UserName: 'big',
          PolicyName: 'two',
          PolicyDocument: withSid('B'.repeat(1000)),
        }),
      ),
      'LimitExceededException',
      'Maximum policy size of 2048 bytes exceeded for user big',
    );
    assert.deepEqual(
      (await suite.iam.send(new ListUserPoliciesCommand({ UserName: 'big' }))).PolicyNames,
      ['one'],
    );
  });

  it('attaches managed policies, counts them, and keeps user and policy while attached', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'ops' }));
    const created = await suite.iam.send(
      new CreatePolicyCommand({ PolicyName: 'read-ecs', PolicyDocument: READ_ECS }),
    );
    const arn = created.Policy?.Arn as string;
    await suite.iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: arn }));
    await suite.iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: arn }));
    await suite.iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: LOGS_FULL }));
    const attached = await suite.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'ops' }));
    assert.deepEqual(attached.AttachedPolicies, [
      { PolicyName: 'read-ecs', PolicyArn: arn },
      { PolicyName: 'CloudWatchLogsFullAccess', PolicyArn: LOGS_FULL },
    ]);
    assert.equal(
      (await suite.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount,
      1,
    );
    const local = await suite.iam.send(
      new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }),
    );
    assert.deepEqual(
      local.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]),
      [['read-ecs', 1]],
    );
    const docs = await suite.fx.engine.iam.identityPolicies(`arn:aws:iam::${ACCT}:user/ops`);
    assert.deepEqual(
      docs.map((d) => d.name),
      [arn, LOGS_FULL],
    );

    await rejectsWith(
      suite.iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflictException',
      'Cannot delete a policy attached to entities.',
    );
    await rejectsWith(
      suite.iam.send(new DeleteUserCommand({ UserName: 'ops' })),
      'DeleteConflictException',
      'Cannot delete entity, must detach all policies first.',
    );
    await rejectsWith(
      suite.iam.send(
        new AttachUserPolicyCommand({
          UserName: 'ops',
          PolicyArn: `arn:aws:iam::${ACCT}:policy/missing`,
        }),
      ),
      'NoSuchEntityException',
      `Policy arn:aws:iam::${ACCT}:policy/missing does not exist or is not attachable.`,
    );

    await suite.iam.send(new DetachUserPolicyCommand({ UserName: 'ops', PolicyArn: arn }));
    await suite.iam.send(new DetachUserPolicyCommand({ UserName: 'ops', PolicyArn: LOGS_FULL }));
    await rejectsWith(
      suite.iam.send(new DetachUserPolicyCommand({ UserName: 'ops', PolicyArn: arn })),
      'NoSuchEntityException',
      `Policy ${arn} was not found.`,
    );
    assert.equal(
      (await suite.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount,
      0,
    );
    await suite.iam.send(new DeleteUserCommand({ UserName: 'ops' }));
    await suite.iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  });

  it('attaches at most 10 managed policies to one user', async () => {
    await suite.iam.send(new CreateUserCommand({ UserName: 'many' }));
    for (let i = 0; i < 11; i++) {
      const { Policy } = await suite.iam.send(
        new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: READ_ECS }),
      );
      const attach = suite.iam.send(
        new AttachUserPolicyCommand({ UserName: 'many', PolicyArn: Policy?.Arn }),
      );
      if (i < 10) await attach;
      else {
        await rejectsWith(
          attach,
          'LimitExceededException',
          'Cannot exceed quota for PoliciesPerUser: 10',
        );
      }
    }
  });
});
