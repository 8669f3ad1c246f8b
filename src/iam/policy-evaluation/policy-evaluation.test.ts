/**
 * The evaluator against the cases of the IAM User Guide's "Policy evaluation logic" and
 * "Condition operators" pages (restated in our own words): deny beats allow, default deny,
 * NotAction/NotResource, wildcards, each operator family, IfExists, multi-valued set operators,
 * Null, policy variables. Each row runs through the real library, offline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AccessDenied } from '../iam.errors.ts';
import { IamSimulateEvaluator } from './iam-simulate.evaluator.ts';
import { accessDeniedMessage, type ContextValue, type PolicyOutcome } from './policy-evaluator.ts';

const ACCT = '111122223333';
const ROLE = `arn:aws:iam::${ACCT}:role/app`;
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const TD = `arn:aws:ecs:us-east-1:${ACCT}:task-definition/web:3`;
const CLUSTER = `arn:aws:ecs:us-east-1:${ACCT}:cluster/prod`;
const STREAM = `arn:aws:logs:us-east-1:${ACCT}:log-group:/ecs/web:log-stream:web/app/1`;

type Statement = Record<string, unknown>;

interface Case {
  name: string;
  statements: Statement[];
  action: string;
  resource: string;
  principal?: string;
  context?: Record<string, ContextValue>;
  expect: PolicyOutcome;
}

const allow = (extra: Statement): Statement => ({ Effect: 'Allow', ...extra });
const deny = (extra: Statement): Statement => ({ Effect: 'Deny', ...extra });
const runTaskIf = (condition: Statement): Statement =>
  allow({ Action: 'ecs:RunTask', Resource: '*', Condition: condition });

const CASES: Case[] = [
  // Evaluation logic.
  {
    name: 'no policy: implicit deny',
    statements: [],
    action: 'ecs:ListClusters',
    resource: '*',
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'allow matches',
    statements: [allow({ Action: 'ecs:ListClusters', Resource: '*' })],
    action: 'ecs:ListClusters',
    resource: '*',
    expect: 'Allowed',
  },
  {
    name: 'explicit deny beats allow',
    statements: [
      allow({ Action: 'ecs:*', Resource: '*' }),
      deny({ Action: 'ecs:RunTask', Resource: '*' }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ExplicitlyDenied',
  },
  {
    name: 'deny of another action leaves the allow',
    statements: [
      allow({ Action: 'ecs:*', Resource: '*' }),
      deny({ Action: 'ecs:DeleteCluster', Resource: '*' }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'action names are case-insensitive',
    statements: [allow({ Action: 'ECS:runtask', Resource: '*' })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'action wildcard *',
    statements: [allow({ Action: 'ecs:Describe*', Resource: '*' })],
    action: 'ecs:DescribeClusters',
    resource: CLUSTER,
    expect: 'Allowed',
  },
  {
    name: 'action wildcard ?',
    statements: [allow({ Action: 'ecs:???Task', Resource: '*' })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'action wildcard does not reach other actions',
    statements: [allow({ Action: ['ecs:List*', 'ecs:Describe*'], Resource: '*' })],
    action: 'ecs:DeleteCluster',
    resource: CLUSTER,
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'NotAction with Allow allows everything else',
    statements: [allow({ NotAction: 'iam:*', Resource: '*' })],
    action: 'logs:PutLogEvents',
    resource: STREAM,
    expect: 'Allowed',
  },
  {
    name: 'NotAction with Allow does not allow the listed',
    statements: [allow({ NotAction: 'iam:*', Resource: '*' })],
    action: 'iam:PassRole',
    resource: ROLE,
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'NotAction with Deny denies everything else',
    statements: [
      allow({ Action: '*', Resource: '*' }),
      deny({ NotAction: 'ecs:Describe*', Resource: '*' }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ExplicitlyDenied',
  },
  {
    name: 'resource wildcard in ARN',
    statements: [
      allow({ Action: 'ecs:RunTask', Resource: `arn:aws:ecs:*:${ACCT}:task-definition/web:*` }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'resource of another family',
    statements: [
      allow({ Action: 'ecs:RunTask', Resource: `arn:aws:ecs:*:${ACCT}:task-definition/api:*` }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'resource ? wildcard',
    statements: [
      allow({
        Action: 'ecs:RunTask',
        Resource: `arn:aws:ecs:us-east-1:${ACCT}:task-definition/we?:?`,
      }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'NotResource with Allow covers others',
    statements: [
      allow({
        Action: 'ecs:RunTask',
        NotResource: `arn:aws:ecs:*:${ACCT}:task-definition/secret:*`,
      }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'NotResource with Deny protects all but one',
    statements: [
      allow({ Action: 'ecs:RunTask', Resource: '*' }),
      deny({ Action: 'ecs:RunTask', NotResource: `arn:aws:ecs:*:${ACCT}:task-definition/api:*` }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ExplicitlyDenied',
  },
  // String operators.
  {
    name: 'StringEquals match',
    statements: [runTaskIf({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'Allowed',
  },
  {
    name: 'StringEquals is case-sensitive',
    statements: [runTaskIf({ StringEquals: { 'aws:RequestedRegion': 'US-EAST-1' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'StringEqualsIgnoreCase',
    statements: [runTaskIf({ StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'US-EAST-1' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'Allowed',
  },
  {
    name: 'StringEquals values are ORed',
    statements: [
      runTaskIf({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'Allowed',
  },
  {
    name: 'StringEquals with the key missing does not match',
    statements: [runTaskIf({ StringEquals: { 'aws:ResourceTag/team': 'a' } })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'StringNotEquals',
    statements: [runTaskIf({ StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'Allowed',
  },
  {
    name: 'StringLike with *',
    statements: [runTaskIf({ StringLike: { 'aws:ResourceTag/team': 'plat*' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:ResourceTag/team': 'platform' },
    expect: 'Allowed',
  },
  {
    name: 'StringNotLike',
    statements: [runTaskIf({ StringNotLike: { 'aws:ResourceTag/team': 'plat*' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:ResourceTag/team': 'platform' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'keys in one block are ANDed',
    statements: [
      runTaskIf({
        StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:ResourceTag/team': 'a' },
      }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:RequestedRegion': 'us-east-1', 'aws:ResourceTag/team': 'b' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'aws:RequestTag condition',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/env': 'dev' } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    context: { 'aws:RequestTag/env': 'dev' },
    expect: 'Allowed',
  },
  // ARN operators with a service key.
  {
    name: 'ArnEquals ecs:cluster',
    statements: [runTaskIf({ ArnEquals: { 'ecs:cluster': CLUSTER } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:cluster': CLUSTER },
    expect: 'Allowed',
  },
  {
    name: 'ArnEquals ecs:cluster, other cluster',
    statements: [runTaskIf({ ArnEquals: { 'ecs:cluster': CLUSTER } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${ACCT}:cluster/dev` },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'ArnLike with wildcards',
    statements: [runTaskIf({ ArnLike: { 'ecs:cluster': `arn:aws:ecs:*:${ACCT}:cluster/p*` } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:cluster': CLUSTER },
    expect: 'Allowed',
  },
  {
    name: 'ArnNotEquals',
    statements: [runTaskIf({ ArnNotEquals: { 'ecs:cluster': CLUSTER } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:cluster': CLUSTER },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'ArnNotLike',
    statements: [runTaskIf({ ArnNotLike: { 'ecs:cluster': `arn:aws:ecs:*:*:cluster/dev*` } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:cluster': CLUSTER },
    expect: 'Allowed',
  },
  {
    name: 'aws:SourceArn ArnLike',
    statements: [runTaskIf({ ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${ACCT}:rule/*` } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCT}:rule/nightly` },
    expect: 'Allowed',
  },
  {
    name: 'aws:PrincipalArn ArnEquals',
    statements: [runTaskIf({ ArnEquals: { 'aws:PrincipalArn': ROLE } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:PrincipalArn': ROLE },
    expect: 'Allowed',
  },
  // Bool, Numeric, Date, IP.
  {
    name: 'Bool false denies over http',
    statements: [
      allow({ Action: '*', Resource: '*' }),
      deny({ Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ],
    action: 'ecs:ListClusters',
    resource: '*',
    context: { 'aws:SecureTransport': 'false' },
    expect: 'ExplicitlyDenied',
  },
  {
    name: 'Bool true passes https',
    statements: [
      allow({ Action: '*', Resource: '*' }),
      deny({ Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ],
    action: 'ecs:ListClusters',
    resource: '*',
    context: { 'aws:SecureTransport': 'true' },
    expect: 'Allowed',
  },
  {
    name: 'NumericLessThanEquals',
    statements: [runTaskIf({ NumericLessThanEquals: { 'ecs:task-cpu': '512' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:task-cpu': '256' },
    expect: 'Allowed',
  },
  {
    name: 'NumericLessThan false',
    statements: [runTaskIf({ NumericLessThan: { 'ecs:task-cpu': '512' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:task-cpu': '1024' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'NumericGreaterThan',
    statements: [runTaskIf({ NumericGreaterThan: { 'ecs:task-memory': '511' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:task-memory': '512' },
    expect: 'Allowed',
  },
  {
    name: 'NumericEquals / NotEquals',
    statements: [
      runTaskIf({
        NumericEquals: { 'ecs:task-cpu': '256' },
        NumericNotEquals: { 'ecs:task-memory': '1024' },
      }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'ecs:task-cpu': '256', 'ecs:task-memory': '512' },
    expect: 'Allowed',
  },
  {
    name: 'DateLessThan before the date',
    statements: [runTaskIf({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:CurrentTime': '2026-12-03T16:00:00Z' },
    expect: 'Allowed',
  },
  {
    name: 'DateGreaterThan before the date',
    statements: [runTaskIf({ DateGreaterThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:CurrentTime': '2026-12-03T16:00:00Z' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'Date against epoch seconds',
    statements: [runTaskIf({ DateGreaterThanEquals: { 'aws:EpochTime': '1700000000' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:EpochTime': '1796313600' },
    expect: 'Allowed',
  },
  {
    name: 'IpAddress in CIDR',
    statements: [runTaskIf({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:SourceIp': '192.0.2.7' },
    expect: 'Allowed',
  },
  {
    name: 'NotIpAddress in CIDR',
    statements: [runTaskIf({ NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:SourceIp': '192.0.2.7' },
    expect: 'ImplicitlyDenied',
  },
  // IfExists and Null.
  {
    name: 'IfExists with the key missing matches',
    statements: [runTaskIf({ StringEqualsIfExists: { 'aws:ResourceTag/team': 'a' } })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'IfExists with the key present compares',
    statements: [runTaskIf({ StringEqualsIfExists: { 'aws:ResourceTag/team': 'a' } })],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:ResourceTag/team': 'b' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'Null true: key absent',
    statements: [runTaskIf({ Null: { 'aws:ResourceTag/team': 'true' } })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'Allowed',
  },
  {
    name: 'Null false: key present',
    statements: [runTaskIf({ Null: { 'aws:ResourceTag/team': 'false' } })],
    action: 'ecs:RunTask',
    resource: TD,
    expect: 'ImplicitlyDenied',
  },
  // Multi-valued keys.
  {
    name: 'ForAllValues: every tag key allowed',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    context: { 'aws:TagKeys': ['env'] },
    expect: 'Allowed',
  },
  {
    name: 'ForAllValues: one tag key outside',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    context: { 'aws:TagKeys': ['env', 'cost'] },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'ForAllValues: missing key matches (documented pitfall)',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    expect: 'Allowed',
  },
  {
    name: 'ForAnyValue: one value enough',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    context: { 'aws:TagKeys': ['cost', 'env'] },
    expect: 'Allowed',
  },
  {
    name: 'ForAnyValue: none matches',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    context: { 'aws:TagKeys': ['cost'] },
    expect: 'ImplicitlyDenied',
  },
  {
    name: 'ForAnyValue: missing key does not match',
    statements: [
      allow({
        Action: 'ecs:CreateCluster',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } },
      }),
    ],
    action: 'ecs:CreateCluster',
    resource: CLUSTER,
    expect: 'ImplicitlyDenied',
  },
  // Policy variables.
  {
    name: '${aws:username} in Resource',
    statements: [
      allow({
        Action: 'logs:PutLogEvents',
        Resource: `arn:aws:logs:*:${ACCT}:log-group:/home/\${aws:username}:*`,
      }),
    ],
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/home/alice:log-stream:s`,
    principal: USER,
    context: { 'aws:username': 'alice' },
    expect: 'Allowed',
  },
  {
    name: '${aws:username} for another user',
    statements: [
      allow({
        Action: 'logs:PutLogEvents',
        Resource: `arn:aws:logs:*:${ACCT}:log-group:/home/\${aws:username}:*`,
      }),
    ],
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/home/bob:log-stream:s`,
    principal: USER,
    context: { 'aws:username': 'alice' },
    expect: 'ImplicitlyDenied',
  },
  {
    name: '${aws:PrincipalTag/team} in a condition',
    statements: [
      runTaskIf({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }),
    ],
    action: 'ecs:RunTask',
    resource: TD,
    context: { 'aws:PrincipalTag/team': 'a', 'aws:ResourceTag/team': 'a' },
    expect: 'Allowed',
  },
];

const evaluator = new IamSimulateEvaluator();

describe('policy evaluation: AWS documented cases', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const decision = await evaluator.evaluate({
        principal: c.principal ?? ROLE,
        action: c.action,
        resource: c.resource,
        resourceAccount: ACCT,
        context: c.context ?? {},
        identityPolicies: [
          { name: 'p', document: { Version: '2012-10-17', Statement: c.statements } },
        ],
      });
      assert.equal(decision.invalid, undefined);
      assert.equal(decision.outcome, c.expect);
      assert.equal(decision.allowed, c.expect === 'Allowed');
    });
  }
});

describe('policy evaluation: messages and invalid requests', () => {
  const policy = (statements: Statement[]) => [
    { name: 'p', document: { Version: '2012-10-17', Statement: statements } },
  ];

  it('words an implicit deny as AWS does', async () => {
    const d = await evaluator.evaluate({
      principal: USER,
      action: 'ecs:RunTask',
      resource: TD,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: [],
    });
    assert.equal(d.deniedBy, 'identity');
    assert.equal(
      accessDeniedMessage(d),
      `User: ${USER} is not authorized to perform: ecs:RunTask on resource: ${TD} because no identity-based policy allows the ecs:RunTask action`,
    );
  });

  it('words an explicit deny as AWS does', async () => {
    const d = await evaluator.evaluate({
      principal: USER,
      action: 'ecs:RunTask',
      resource: TD,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: policy([deny({ Action: 'ecs:*', Resource: '*' })]),
    });
    assert.equal(
      accessDeniedMessage(d),
      `User: ${USER} is not authorized to perform: ecs:RunTask on resource: ${TD} with an explicit deny in an identity-based policy`,
    );
  });

  it('refuses to word an allow', async () => {
    const d = await evaluator.evaluate({
      principal: USER,
      action: 'ecs:ListClusters',
      resource: '*',
      resourceAccount: ACCT,
      context: {},
      identityPolicies: policy([allow({ Action: '*', Resource: '*' })]),
    });
    assert.throws(() => accessDeniedMessage(d));
  });

  it('denies (fails closed) an unknown action or a resource of the wrong type', async () => {
    const all = policy([allow({ Action: '*', Resource: '*' })]);
    const unknown = await evaluator.evaluate({
      principal: USER,
      action: 'ecs:Frobnicate',
      resource: '*',
      resourceAccount: ACCT,
      context: {},
      identityPolicies: all,
    });
    assert.equal(unknown.allowed, false);
    assert.ok(unknown.invalid);
    const wrongType = await evaluator.evaluate({
      principal: USER,
      action: 'ecs:RunTask',
      resource: CLUSTER,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: all,
    });
    assert.equal(wrongType.allowed, false);
    assert.ok(wrongType.invalid);
    const unknownService = await evaluator.evaluate({
      principal: USER,
      action: 'cronbridge:GetNextSlots',
      resource: '*',
      resourceAccount: ACCT,
      context: {},
      identityPolicies: all,
    });
    assert.equal(unknownService.allowed, false);
    assert.equal(unknownService.invalid, 'invalid.service');
  });

  it('a session policy limits an allowed identity (and is named in the message)', async () => {
    const d = await evaluator.evaluate({
      principal: `arn:aws:sts::${ACCT}:assumed-role/app/s1`,
      action: 'ecs:RunTask',
      resource: TD,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: policy([allow({ Action: 'ecs:*', Resource: '*' })]),
      sessionPolicy: {
        Version: '2012-10-17',
        Statement: [allow({ Action: 'ecs:Describe*', Resource: '*' })],
      },
    });
    assert.equal(d.outcome, 'ImplicitlyDenied');
    assert.equal(d.deniedBy, 'session');
    assert.match(
      accessDeniedMessage(d),
      /because no session policy allows the ecs:RunTask action$/,
    );
  });
});

describe('AccessDenied (query protocol error)', () => {
  it('carries the code, 403 and the decision message', async () => {
    const d = await evaluator.evaluate({
      principal: USER,
      action: 'iam:GetRole',
      resource: ROLE,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: [],
    });
    const err = new AccessDenied(accessDeniedMessage(d));
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.httpStatus, 403);
    assert.equal(
      err.message,
      `User: ${USER} is not authorized to perform: iam:GetRole on resource: ${ROLE} because no identity-based policy allows the iam:GetRole action`,
    );
  });
});

describe('where the library differs from AWS', () => {
  it('a Deny with an unknown condition operator does not deny (AWS rejects such a document when it is written)', async () => {
    // iam-simulate treats the unknown operator as not matching; AWS never evaluates the document
    // because PutRolePolicy/CreatePolicy answer MalformedPolicyDocument. Write-time validation of
    // operators (iam.validate.ts) is what keeps the two equal.
    const d = await evaluator.evaluate({
      principal: ROLE,
      action: 'ecs:RunTask',
      resource: TD,
      resourceAccount: ACCT,
      context: { 'aws:RequestedRegion': 'us-east-1' },
      identityPolicies: [
        {
          name: 'p',
          document: {
            Version: '2012-10-17',
            Statement: [
              allow({ Action: 'ecs:RunTask', Resource: '*' }),
              deny({
                Action: '*',
                Resource: '*',
                Condition: { StringEqualz: { 'aws:RequestedRegion': 'us-east-1' } },
              }),
            ],
          },
        },
      ],
    });
    assert.equal(d.outcome, 'Allowed');
  });

  it('does not derive global keys itself: without aws:username a ${aws:username} resource does not match', async () => {
    // Hence request-context.ts fills aws:username, aws:PrincipalArn & co. before evaluating.
    const d = await evaluator.evaluate({
      principal: USER,
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/home/alice:log-stream:s`,
      resourceAccount: ACCT,
      context: {},
      identityPolicies: [
        {
          name: 'p',
          document: {
            Version: '2012-10-17',
            Statement: [
              allow({
                Action: 'logs:*',
                Resource: `arn:aws:logs:*:${ACCT}:log-group:/home/\${aws:username}:*`,
              }),
            ],
          },
        },
      ],
    });
    assert.equal(d.outcome, 'ImplicitlyDenied');
  });
});
