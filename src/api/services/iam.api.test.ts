/**
 * IAM through the real `@aws-sdk/client-iam` against the API server of a memory-runtime engine:
 * roles, inline and managed policies, tags, and IAM's error codes in the query error envelope.
 */
import { signedFetch } from '../signing.test-support.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';

import { iamSuite, rejectsWithIamError } from './iam.test-support.ts';
import { trustPolicy } from '../../iam/iam.test-support.ts';

const T0 = Date.UTC(2026, 0, 1);
const TRUST = trustPolicy({ Service: 'ecs-tasks.amazonaws.com' });
const INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }],
});
const EXEC_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/**
 * The SDK names modeled errors by their shape (`NoSuchEntityException` for wire code
 * `NoSuchEntity`); it only finds that shape when the wire code is IAM's own.
 */
const rejectsWithCode = (
  promise: Promise<unknown>,
  code: string,
  status: number,
  message?: string,
) =>
  rejectsWithIamError(promise, {
    name: code === 'ValidationError' ? code : `${code}Exception`,
    status,
    ...(message === undefined ? {} : { message }),
  });

describe('IAM over the query protocol (SDK v3)', () => {
  const suite = iamSuite({ startMs: T0, region: 'ap-northeast-1' });

  it('creates, gets, lists and deletes a role, documents decoded by the SDK as AWS sends them', async () => {
    const created = await suite.iam.send(
      new CreateRoleCommand({
        RoleName: 'exec',
        Path: '/svc/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'task execution',
        Tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    const role = created.Role;
    assert.ok(role);
    assert.equal(role.Arn, 'arn:aws:iam::000000000000:role/svc/exec');
    assert.match(role.RoleId ?? '', /^AROA[A-Z0-9]{17}$/);
    assert.equal(role.CreateDate?.getTime(), T0);
    assert.equal(role.MaxSessionDuration, 3600);

    const got = (await suite.iam.send(new GetRoleCommand({ RoleName: 'exec' }))).Role;
    // The SDK does not decode: the document arrives URL-encoded, as from AWS.
    assert.equal(decodeURIComponent(got?.AssumeRolePolicyDocument ?? ''), TRUST);
    assert.deepEqual(got?.Tags, [{ Key: 'team', Value: 'ops' }]);

    const listed = await suite.iam.send(new ListRolesCommand({}));
    assert.deepEqual(
      listed.Roles?.map((r) => r.RoleName),
      ['exec'],
    );
    assert.equal(listed.IsTruncated, false);

    const profiles = await suite.iam.send(
      new ListInstanceProfilesForRoleCommand({ RoleName: 'exec' }),
    );
    assert.deepEqual(profiles.InstanceProfiles ?? [], []);

    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'exec' }));
    await rejectsWithCode(
      suite.iam.send(new GetRoleCommand({ RoleName: 'exec' })),
      'NoSuchEntity',
      404,
      'The role with name exec cannot be found.',
    );
  });

  it('refuses a duplicate role and a malformed trust policy', async () => {
    await suite.iam.send(
      new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: TRUST }),
    );
    await rejectsWithCode(
      suite.iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: TRUST })),
      'EntityAlreadyExists',
      409,
      'Role with name dup already exists.',
    );
    await rejectsWithCode(
      suite.iam.send(
        new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{not json' }),
      ),
      'MalformedPolicyDocument',
      400,
      'This policy contains invalid Json',
    );
    await rejectsWithCode(
      suite.iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: INLINE })),
      'MalformedPolicyDocument',
      400,
    );
    await rejectsWithCode(
      suite.iam.send(
        new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: TRUST }),
      ),
      'ValidationError',
      400,
    );
    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'dup' }));
  });

  it('keeps inline and managed policies, and refuses to delete the role while they remain', async () => {
    await suite.iam.send(
      new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: TRUST }),
    );
    await suite.iam.send(
      new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'logs', PolicyDocument: INLINE }),
    );
    const inline = await suite.iam.send(
      new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'logs' }),
    );
    assert.equal(decodeURIComponent(inline.PolicyDocument ?? ''), INLINE);
    assert.deepEqual(
      (await suite.iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }))).PolicyNames,
      ['logs'],
    );

    await suite.iam.send(
      new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: EXEC_POLICY }),
    );
    const attached = await suite.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }),
    );
    assert.deepEqual(attached.AttachedPolicies, [
      { PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: EXEC_POLICY },
    ]);
    const version = await suite.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: EXEC_POLICY, VersionId: 'v1' }),
    );
    const document = JSON.parse(decodeURIComponent(version.PolicyVersion?.Document ?? '')) as {
      Statement: { Action: string[] }[];
    };
    assert.ok(document.Statement[0]?.Action.includes('ecr:GetAuthorizationToken'));
    assert.equal(
      (await suite.iam.send(new GetPolicyCommand({ PolicyArn: EXEC_POLICY }))).Policy
        ?.AttachmentCount,
      1,
    );

    await rejectsWithCode(
      suite.iam.send(new DeleteRoleCommand({ RoleName: 'worker' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must delete policies first.',
    );
    await suite.iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'logs' }));
    await rejectsWithCode(
      suite.iam.send(new DeleteRoleCommand({ RoleName: 'worker' })),
      'DeleteConflict',
      409,
      'Cannot delete entity, must detach all policies first.',
    );
    await suite.iam.send(
      new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: EXEC_POLICY }),
    );
    await rejectsWithCode(
      suite.iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'worker',
          PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicyAtAll',
        }),
      ),
      'NoSuchEntity',
      404,
      'Policy arn:aws:iam::aws:policy/NoSuchPolicyAtAll does not exist or is not attachable.',
    );
    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'worker' }));
  });

  it("applies AWS's quotas to a role's policies and filters attached ones by path", async () => {
    await suite.iam.send(
      new CreateRoleCommand({ RoleName: 'quota', AssumeRolePolicyDocument: TRUST }),
    );
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'logs:PutLogEvents',
          Resource: `arn:aws:logs:*:*:${'x'.repeat(6_000)}`,
        },
      ],
    });
    await suite.iam.send(
      new PutRolePolicyCommand({ RoleName: 'quota', PolicyName: 'a', PolicyDocument: big }),
    );
    await rejectsWithCode(
      suite.iam.send(
        new PutRolePolicyCommand({ RoleName: 'quota', PolicyName: 'b', PolicyDocument: big }),
      ),
      'LimitExceeded',
      409,
      'Maximum policy size of 10240 bytes exceeded for role quota',
    );
    for (let i = 0; i < 10; i++) {
      const { Policy } = await suite.iam.send(
        new CreatePolicyCommand({
          PolicyName: `quota-${i}`,
          Path: i < 3 ? '/team/' : '/',
          PolicyDocument: INLINE,
        }),
      );
      await suite.iam.send(
        new AttachRolePolicyCommand({ RoleName: 'quota', PolicyArn: Policy?.Arn }),
      );
    }
    const { Policy: eleventh } = await suite.iam.send(
      new CreatePolicyCommand({ PolicyName: 'quota-10', PolicyDocument: INLINE }),
    );
    await rejectsWithCode(
      suite.iam.send(new AttachRolePolicyCommand({ RoleName: 'quota', PolicyArn: eleventh?.Arn })),
      'LimitExceeded',
      409,
      'Cannot exceed quota for PoliciesPerRole: 10',
    );
    const team = await suite.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'quota', PathPrefix: '/team/' }),
    );
    assert.deepEqual(team.AttachedPolicies?.map((p) => p.PolicyName).sort(), [
      'quota-0',
      'quota-1',
      'quota-2',
    ]);
    // The suite shares one engine: leave no policies behind for the listing tests.
    const all = await suite.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'quota' }));
    for (const { PolicyArn } of all.AttachedPolicies ?? []) {
      await suite.iam.send(new DetachRolePolicyCommand({ RoleName: 'quota', PolicyArn }));
      await suite.iam.send(new DeletePolicyCommand({ PolicyArn }));
    }
    await suite.iam.send(new DeletePolicyCommand({ PolicyArn: eleventh?.Arn }));
    await suite.iam.send(new DeleteRolePolicyCommand({ RoleName: 'quota', PolicyName: 'a' }));
    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'quota' }));
  });

  it('tags and untags a role and updates its trust policy', async () => {
    await suite.iam.send(
      new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: TRUST }),
    );
    await suite.iam.send(
      new TagRoleCommand({
        RoleName: 'tagged',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await suite.iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['a'] }));
    assert.deepEqual((await suite.iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, [
      { Key: 'b', Value: '2' },
    ]);
    const events = TRUST.replace('ecs-tasks', 'events');
    await suite.iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'tagged', PolicyDocument: events }),
    );
    const role = (await suite.iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role;
    assert.equal(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''), events);
    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'tagged' }));
  });

  it('creates, lists and deletes a customer-managed policy', async () => {
    const created = await suite.iam.send(
      new CreatePolicyCommand({ PolicyName: 'mine', PolicyDocument: INLINE }),
    );
    const arn = created.Policy?.Arn ?? '';
    assert.equal(arn, 'arn:aws:iam::000000000000:policy/mine');
    const local = await suite.iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.deepEqual(
      local.Policies?.map((p) => p.PolicyName),
      ['mine'],
    );
    const aws = await suite.iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    assert.ok(aws.Policies?.some((p) => p.PolicyName === 'CloudWatchLogsFullAccess'));
    await suite.iam.send(
      new CreateRoleCommand({ RoleName: 'user', AssumeRolePolicyDocument: TRUST }),
    );
    await suite.iam.send(new AttachRolePolicyCommand({ RoleName: 'user', PolicyArn: arn }));
    await rejectsWithCode(
      suite.iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict',
      409,
    );
    await suite.iam.send(new DetachRolePolicyCommand({ RoleName: 'user', PolicyArn: arn }));
    await suite.iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejectsWithCode(
      suite.iam.send(new GetPolicyCommand({ PolicyArn: arn })),
      'NoSuchEntity',
      404,
    );
    await suite.iam.send(new DeleteRoleCommand({ RoleName: 'user' }));
  });

  it('answers errors in the query envelope with Type Sender', async () => {
    const response = await signedFetch(
      suite.fx.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetRole&Version=2010-05-08&RoleName=ghost',
      },
      { service: 'iam' },
    );
    assert.equal(response.status, 404);
    const body = await response.text();
    assert.match(
      body,
      /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>The role with name ghost cannot be found\.<\/Message><\/Error><RequestId>/,
    );
  });
});
