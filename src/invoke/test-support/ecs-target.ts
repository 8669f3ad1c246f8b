/** An ECS rule target for invoker tests (AWS member names, as PutTargets stores it). */
import type { RuleTarget } from '../../events/target.types.ts';

export const TEST_CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs';
export const TEST_TASK_DEF_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/batch:1';

export function ecsTarget(id = 't1', extra: Partial<RuleTarget> = {}): RuleTarget {
  return {
    Id: id,
    Arn: TEST_CLUSTER_ARN,
    RoleArn: 'arn:aws:iam::123456789012:role/ecsEventsRole',
    EcsParameters: { TaskDefinitionArn: TEST_TASK_DEF_ARN, LaunchType: 'FARGATE' },
    ...extra,
  };
}
