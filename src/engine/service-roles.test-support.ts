/**
 * The three roles the classic system runs on, made for tests the way a user makes them: an
 * events role EventBridge may assume (`ecs:RunTask` and `iam:PassRole` to ECS tasks), a task
 * execution role the awslogs driver writes with, and a task role. Since rules invoke their ECS
 * targets as the events role and tasks log as the execution role, every test that fires a rule
 * or runs a task with awslogs makes these first, through the engine's IAM service or the IAM API.
 *
 *   const roles = await createServiceRoles(engineRoles(fx.engine.iam));
 *   … RoleArn: roles.eventsRoleArn … executionRoleArn: roles.executionRoleArn …
 *   await createServiceRoles(apiRoles(url), { execution: 'exec' });
 */
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';

import type { IamService } from '../iam/iam.service.ts';
import { trustPolicy } from '../iam/iam.test-support.ts';

/** Where the roles are made: the engine's IAM service or the IAM API. */
export interface RoleWriter {
  /** Creates the role (or finds it, when a test makes the roles twice) and returns its ARN. */
  createRole(name: string, trustPolicy: string): Promise<string>;
  putRolePolicy(roleName: string, policyName: string, document: string): Promise<void>;
}

/** Roles made directly on an engine's IAM service. */
export function engineRoles(iam: IamService): RoleWriter {
  return {
    async createRole(name, trustPolicy) {
      const existing = await iam.roles.getRole(name).catch(() => undefined);
      if (existing) return existing.Arn;
      const role = await iam.roles.createRole({
        RoleName: name,
        AssumeRolePolicyDocument: trustPolicy,
      });
      return role.Arn;
    },
    putRolePolicy: (roleName, policyName, document) =>
      iam.roles.putRolePolicy(roleName, policyName, document),
  };
}

/** Roles made through the IAM API at `endpoint` (SDK v3, the root test key). */
export function apiRoles(endpoint: string): RoleWriter {
  const client = () =>
    new IAMClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  return {
    async createRole(name, trustPolicy) {
      const iam = client();
      try {
        const found = await iam.send(new GetRoleCommand({ RoleName: name })).catch(() => undefined);
        if (found?.Role?.Arn) return found.Role.Arn;
        const made = await iam.send(
          new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy }),
        );
        return made.Role?.Arn ?? '';
      } finally {
        iam.destroy();
      }
    },
    async putRolePolicy(roleName, policyName, document) {
      const iam = client();
      try {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: roleName,
            PolicyName: policyName,
            PolicyDocument: document,
          }),
        );
      } finally {
        iam.destroy();
      }
    },
  };
}

/** Role names; the defaults are the names AWS's own guides use. */
export interface ServiceRoleNames {
  readonly events?: string;
  readonly execution?: string;
  readonly task?: string;
}

export interface ServiceRoles {
  readonly eventsRoleArn: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
}

/** A trust policy letting `service` assume the role. */
export function trustPolicyFor(service: string): string {
  return trustPolicy({ Service: service });
}

/** The events role's permissions: run tasks, and hand roles to ECS tasks only. */
export const EVENTS_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ],
});

/** The execution role's permissions: what the awslogs driver calls. */
export const EXECUTION_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ],
});

/** Makes (or finds) the three roles with their trust and permission policies. */
export async function createServiceRoles(
  writer: RoleWriter,
  names: ServiceRoleNames = {},
): Promise<ServiceRoles> {
  const events = names.events ?? 'ecsEventsRole';
  const execution = names.execution ?? 'ecsTaskExecutionRole';
  const task = names.task ?? 'ecsTaskRole';
  const eventsRoleArn = await writer.createRole(events, trustPolicyFor('events.amazonaws.com'));
  await writer.putRolePolicy(events, 'run-tasks', EVENTS_ROLE_POLICY);
  const executionRoleArn = await writer.createRole(
    execution,
    trustPolicyFor('ecs-tasks.amazonaws.com'),
  );
  await writer.putRolePolicy(execution, 'write-logs', EXECUTION_ROLE_POLICY);
  const taskRoleArn = await writer.createRole(task, trustPolicyFor('ecs-tasks.amazonaws.com'));
  return { eventsRoleArn, executionRoleArn, taskRoleArn };
}
