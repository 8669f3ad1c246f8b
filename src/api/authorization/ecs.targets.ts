/** ECS operations → IAM targets (Service Authorization Reference, "Amazon Elastic Container Service"). */
import type { ContextValue } from '../../iam/policy-evaluation/policy-evaluator.ts';
import {
  arnOf,
  jsonTags,
  lastSegment,
  passRoles,
  requestTags,
  str,
  strings,
  wildcard,
  type Input,
  type TargetContext,
  tagResourceTargets,
  type TargetTable,
} from './target-helpers.ts';

/** `cluster` as name or ARN; ECS's default cluster is `default`. */
function clusterArn(ctx: TargetContext, reference: string | undefined): string {
  const ref = reference ?? 'default';
  return ref.startsWith('arn:') ? ref : arnOf(ctx, 'ecs', `cluster/${ref}`);
}

/** A task id or ARN, in the cluster's ARN form `task/<cluster>/<id>`. */
function taskArn(ctx: TargetContext, cluster: string, reference: string): string {
  return reference.startsWith('arn:')
    ? reference
    : arnOf(ctx, 'ecs', `task/${lastSegment(cluster)}/${reference}`);
}

/**
 * A reference with its revision (`family:revision`, or an ARN ending in one) as its ARN. A family
 * alone, by name or by ARN, resolves to its latest revision through the resolver, else to
 * `family:*` (every revision), which a policy on the family still matches: IAM only ever sees
 * ARNs with a revision, as ECS evaluates the revision that runs.
 */
async function taskDefinitionArn(
  ctx: TargetContext,
  reference: string | undefined,
): Promise<string> {
  const ref = reference ?? '';
  const isArn = ref.startsWith('arn:');
  if (/:\d+$/.test(ref)) return isArn ? ref : arnOf(ctx, 'ecs', `task-definition/${ref}`);
  const resolved = await ctx.resolvers?.taskDefinitionArn?.(ref);
  if (resolved) return resolved;
  return isArn ? `${ref}:*` : arnOf(ctx, 'ecs', `task-definition/${ref}:*`);
}

const clusterOp = (action: string) => ({
  action,
  build: (input: Input, ctx: TargetContext) => ({
    resources: [clusterArn(ctx, str(input, 'cluster'))],
  }),
});

const tasksOp = (action: string, many: boolean) => ({
  action,
  build: (input: Input, ctx: TargetContext) => {
    const cluster = clusterArn(ctx, str(input, 'cluster'));
    const refs = many ? strings(input, 'tasks') : [str(input, 'task') ?? ''];
    return {
      resources: refs.map((t) => taskArn(ctx, cluster, t)),
      context: { 'ecs:cluster': cluster },
    };
  },
});

function runTaskContext(input: Input, cluster: string): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = { 'ecs:cluster': cluster };
  const overrides = input.overrides as Record<string, unknown> | undefined;
  if (typeof overrides?.cpu === 'string') out['ecs:task-cpu'] = overrides.cpu;
  if (typeof overrides?.memory === 'string') out['ecs:task-memory'] = overrides.memory;
  if (typeof input.enableExecuteCommand === 'boolean') {
    out['ecs:enable-execute-command'] = String(input.enableExecuteCommand);
  }
  const providers = jsonTags(input, 'capacityProviderStrategy', 'capacityProvider', 'weight').map(
    (p) => p.key,
  );
  if (providers.length > 0) out['ecs:capacity-provider'] = providers;
  return { ...out, ...requestTags(jsonTags(input, 'tags', 'key', 'value')) };
}

/**
 * The roles a RunTask hands to its task: the task definition's task and execution roles, each
 * unless `overrides` names another in its place (ECS asks `iam:PassRole` for the roles passed).
 */
async function runTaskRoles(ctx: TargetContext, input: Input): Promise<string[]> {
  const reference = str(input, 'taskDefinition');
  const defined = reference ? await ctx.resolvers?.taskDefinitionRoles?.(reference) : undefined;
  const overrides = (input.overrides ?? {}) as Record<string, unknown>;
  const pick = (key: 'taskRoleArn' | 'executionRoleArn') => {
    const override = overrides[key];
    return typeof override === 'string' && override.length > 0 ? override : defined?.[key];
  };
  return [pick('taskRoleArn'), pick('executionRoleArn')].filter(
    (arn): arn is string => arn !== undefined,
  );
}

export const ECS_TARGETS: TargetTable = {
  CreateCluster: {
    action: 'ecs:CreateCluster',
    build: (input, ctx) => ({
      resources: [clusterArn(ctx, str(input, 'clusterName'))],
      context: requestTags(jsonTags(input, 'tags', 'key', 'value')),
    }),
  },
  DeleteCluster: clusterOp('ecs:DeleteCluster'),
  UpdateCluster: clusterOp('ecs:UpdateCluster'),
  UpdateClusterSettings: clusterOp('ecs:UpdateClusterSettings'),
  PutClusterCapacityProviders: clusterOp('ecs:PutClusterCapacityProviders'),
  DescribeClusters: {
    action: 'ecs:DescribeClusters',
    build: (input, ctx) => {
      const refs = strings(input, 'clusters');
      return { resources: (refs.length > 0 ? refs : ['default']).map((c) => clusterArn(ctx, c)) };
    },
  },
  ListClusters: wildcard('ecs:ListClusters'),
  RegisterTaskDefinition: {
    action: 'ecs:RegisterTaskDefinition',
    // The new revision's number is not known before the call: every revision of the family.
    build: (input, ctx) => {
      const context: Record<string, ContextValue> = requestTags(
        jsonTags(input, 'tags', 'key', 'value'),
      );
      if (typeof input.cpu === 'string') context['ecs:task-cpu'] = input.cpu;
      if (typeof input.memory === 'string') context['ecs:task-memory'] = input.memory;
      return {
        resources: [arnOf(ctx, 'ecs', `task-definition/${str(input, 'family') ?? ''}:*`)],
        context,
      };
    },
  },
  DeregisterTaskDefinition: wildcard('ecs:DeregisterTaskDefinition'),
  DescribeTaskDefinition: wildcard('ecs:DescribeTaskDefinition'),
  ListTaskDefinitionFamilies: wildcard('ecs:ListTaskDefinitionFamilies'),
  ListTaskDefinitions: wildcard('ecs:ListTaskDefinitions'),
  DeleteTaskDefinitions: {
    action: 'ecs:DeleteTaskDefinitions',
    build: async (input, ctx) => ({
      resources: await Promise.all(
        strings(input, 'taskDefinitions').map((t) => taskDefinitionArn(ctx, t)),
      ),
    }),
  },
  RunTask: {
    action: 'ecs:RunTask',
    build: async (input, ctx) => {
      const cluster = clusterArn(ctx, str(input, 'cluster'));
      return {
        resources: [await taskDefinitionArn(ctx, str(input, 'taskDefinition'))],
        context: runTaskContext(input, cluster),
        alsoRequires: passRoles(await runTaskRoles(ctx, input), 'ecs-tasks.amazonaws.com'),
      };
    },
  },
  StopTask: tasksOp('ecs:StopTask', false),
  DescribeTasks: tasksOp('ecs:DescribeTasks', true),
  // The reference's resource is a container instance, which Fargate-only ECS does not have.
  ListTasks: wildcard('ecs:ListTasks', (input, ctx) => ({
    'ecs:cluster': clusterArn(ctx, str(input, 'cluster')),
  })),
  ...tagResourceTargets('ecs', {
    arn: 'resourceArn',
    tags: (input) => jsonTags(input, 'tags', 'key', 'value'),
    tagKeys: 'tagKeys',
  }),
};
