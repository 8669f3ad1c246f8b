/**
 * Rule target → ECS RunTask request (reference §2.5): the target's `Arn` is the cluster,
 * `EcsParameters` map member by member (PascalCase → ECS's camelCase), and the target input
 * (`Input`, or what `InputPath`/`InputTransformer` make of the event) becomes `overrides`, an ECS
 * `TaskOverride`. With no input at all nothing of the event reaches the task.
 */
import type { RunTaskRequest } from '../ecs/run-task.ports.ts';
import type { RuleTarget } from '../events/target.types.ts';
import { ruleNameOf } from '../firing/index.ts';
import { applyInputPath, applyInputTransformer } from './input-transform.ts';
import type { ScheduledEvent } from './scheduled-event.build.ts';

/** A target invocation that cannot be attempted at all (no retry can help). */
export interface MappingFailure {
  ok: false;
  code: string;
  message: string;
}

export type MappingResult = { ok: true; request: RunTaskRequest } | MappingFailure;

/** `startedBy` of tasks a rule starts: `events-rule/<name>`, cut to ECS's 36 characters. */
export function startedByFor(ruleName: string): string {
  return `events-rule/${ruleName}`.slice(0, 36);
}

/** `arn:<partition>:ecs:<region>:<account>:cluster/<name>` */
export function isEcsClusterArn(arn: string): boolean {
  return /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/.+$/.test(arn);
}

/** Builds the RunTask request for one ECS target and one event. */
export function toRunTaskRequest(
  ruleArn: string,
  target: RuleTarget,
  event: ScheduledEvent,
  ingestionTime: string,
): MappingResult {
  if (!isEcsClusterArn(target.Arn)) {
    return {
      ok: false,
      code: 'UnsupportedTargetType',
      message: `Target type not supported yet: ${target.Arn} (only ECS cluster targets can be invoked).`,
    };
  }
  const p = target.EcsParameters;
  if (!p) {
    return {
      ok: false,
      code: 'InvalidParameterException',
      message: `Target ${target.Id} has an ECS cluster ARN but no EcsParameters.`,
    };
  }
  const overrides = overridesFor(ruleArn, target, event, ingestionTime);
  if (!overrides.ok) return overrides;

  const request: RunTaskRequest = {
    cluster: target.Arn,
    taskDefinition: p.TaskDefinitionArn,
    count: p.TaskCount ?? 1,
    startedBy: startedByFor(ruleNameOf(ruleArn)),
  };
  if (p.LaunchType !== undefined) request.launchType = p.LaunchType;
  const vpc = p.NetworkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    request.networkConfiguration = {
      awsvpcConfiguration: {
        subnets: [...vpc.Subnets],
        ...(vpc.SecurityGroups ? { securityGroups: [...vpc.SecurityGroups] } : {}),
        ...(vpc.AssignPublicIp ? { assignPublicIp: vpc.AssignPublicIp } : {}),
      },
    };
  }
  if (p.PlatformVersion !== undefined) request.platformVersion = p.PlatformVersion;
  // Left unset when absent: ECS then defaults the group to `family:<family>` itself.
  if (p.Group !== undefined) request.group = p.Group;
  if (p.CapacityProviderStrategy) {
    request.capacityProviderStrategy = p.CapacityProviderStrategy.map((s) => ({ ...s }));
  }
  if (p.PropagateTags !== undefined) request.propagateTags = p.PropagateTags;
  if (p.Tags) request.tags = p.Tags.map((t) => ({ key: t.Key, value: t.Value }));
  if (p.EnableECSManagedTags !== undefined) request.enableECSManagedTags = p.EnableECSManagedTags;
  if (p.EnableExecuteCommand !== undefined) request.enableExecuteCommand = p.EnableExecuteCommand;
  if (p.ReferenceId !== undefined) request.referenceId = p.ReferenceId;
  if (overrides.value !== undefined) request.overrides = overrides.value;
  return { ok: true, request };
}

function overridesFor(
  ruleArn: string,
  target: RuleTarget,
  event: ScheduledEvent,
  ingestionTime: string,
): { ok: true; value: Record<string, unknown> | undefined } | MappingFailure {
  let value: unknown;
  let source: string;
  if (target.Input !== undefined) {
    source = 'Input';
    try {
      value = JSON.parse(target.Input);
    } catch {
      return invalidInput(target, 'Input is not valid JSON');
    }
  } else if (target.InputPath !== undefined) {
    source = 'InputPath';
    const r = applyInputPath(event, target.InputPath);
    if (!r.ok) return invalidInput(target, r.message);
    value = r.value;
  } else if (target.InputTransformer !== undefined) {
    source = 'InputTransformer';
    const r = applyInputTransformer(event, target.InputTransformer, {
      ruleArn,
      ruleName: ruleNameOf(ruleArn),
      ingestionTime,
    });
    if (!r.ok) return invalidInput(target, r.message);
    value = r.value;
  } else {
    return { ok: true, value: undefined };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalidInput(target, `${source} must produce a JSON object (an ECS TaskOverride)`);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function invalidInput(target: RuleTarget, why: string): MappingFailure {
  return {
    ok: false,
    code: 'InvalidInput',
    message: `Cannot build RunTask overrides for target ${target.Id}: ${why}.`,
  };
}
