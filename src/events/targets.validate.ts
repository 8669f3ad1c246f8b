/**
 * Checks of PutTargets' `Targets`: first the model constraints of every entry (one
 * `N validation errors detected` message for the whole request), then the service's own rules
 * (one input kind, role for ECS, ECS parameters), which fail the whole request with a plain
 * `ValidationException` naming the target.
 *
 * EventBridge reports per-entry `FailedEntries` only for failures while storing (e.g. a
 * concurrent modification); every validation problem observed on AWS fails the whole request
 * (aws-semantics.md §2.3), so that is what cronbridge does.
 */
import { ValidationException } from '../platform/errors.ts';
import type { EcsParameters, RuleTarget } from './target.types.ts';
import { ASSIGN_PUBLIC_IP_VALUES, LAUNCH_TYPES, PROPAGATE_TAGS_VALUES } from './events.types.ts';
import {
  checkBoolean,
  checkEnum,
  checkInteger,
  checkList,
  checkObject,
  checkString,
  checkTags,
  NAME_PATTERN,
  type Violations,
} from './events.validate.ts';

/** Placement members of the events model, checked for enum membership only. */
const PLACEMENT_CONSTRAINT_TYPES = ['distinctInstance', 'memberOf'] as const;
const PLACEMENT_STRATEGY_TYPES = ['random', 'spread', 'binpack'] as const;

/** Target `Id`: 1–64, `[\.\-_A-Za-z0-9]+` [model]. */
export function checkTargetId(v: Violations, value: unknown, path: string): string | undefined {
  return checkString(v, value, path, { required: true, min: 1, max: 64, pattern: NAME_PATTERN });
}

function checkStringList(v: Violations, value: unknown, path: string, required = false): void {
  const list = checkList(v, value, path, { required });
  list?.forEach((item, i) => checkString(v, item, `${path}.${i + 1}.member`, { required: true }));
}

function checkEcsParameters(v: Violations, value: unknown, path: string): void {
  const ecs = checkObject(v, value, path);
  if (!ecs) return;
  checkString(v, ecs.TaskDefinitionArn, `${path}.taskDefinitionArn`, {
    required: true,
    min: 1,
    max: 1600,
  });
  checkInteger(v, ecs.TaskCount, `${path}.taskCount`, { min: 1 });
  checkEnum(v, ecs.LaunchType, `${path}.launchType`, LAUNCH_TYPES);
  const network = checkObject(v, ecs.NetworkConfiguration, `${path}.networkConfiguration`);
  const vpcPath = `${path}.networkConfiguration.awsvpcConfiguration`;
  const vpc = network && checkObject(v, network.awsvpcConfiguration, vpcPath);
  if (vpc) {
    checkStringList(v, vpc.Subnets, `${vpcPath}.subnets`, true);
    checkStringList(v, vpc.SecurityGroups, `${vpcPath}.securityGroups`);
    checkEnum(v, vpc.AssignPublicIp, `${vpcPath}.assignPublicIp`, ASSIGN_PUBLIC_IP_VALUES);
  }
  checkString(v, ecs.PlatformVersion, `${path}.platformVersion`);
  checkString(v, ecs.Group, `${path}.group`);
  const strategyPath = `${path}.capacityProviderStrategy`;
  checkList(v, ecs.CapacityProviderStrategy, strategyPath, { max: 6 })?.forEach((item, i) => {
    const at = `${strategyPath}.${i + 1}.member`;
    const s = checkObject(v, item, at, true);
    if (!s) return;
    checkString(v, s.capacityProvider, `${at}.capacityProvider`, {
      required: true,
      min: 1,
      max: 255,
    });
    checkInteger(v, s.weight, `${at}.weight`, { min: 0, max: 1000 });
    checkInteger(v, s.base, `${at}.base`, { min: 0, max: 100000 });
  });
  checkBoolean(ecs.EnableECSManagedTags, `${path}.enableECSManagedTags`);
  checkBoolean(ecs.EnableExecuteCommand, `${path}.enableExecuteCommand`);
  const pcPath = `${path}.placementConstraints`;
  checkList(v, ecs.PlacementConstraints, pcPath, { max: 10 })?.forEach((item, i) => {
    const at = `${pcPath}.${i + 1}.member`;
    const c = checkObject(v, item, at, true);
    if (!c) return;
    checkEnum(v, c.type, `${at}.type`, PLACEMENT_CONSTRAINT_TYPES);
    checkString(v, c.expression, `${at}.expression`, { max: 2000 });
  });
  const psPath = `${path}.placementStrategy`;
  checkList(v, ecs.PlacementStrategy, psPath, { max: 5 })?.forEach((item, i) => {
    const at = `${psPath}.${i + 1}.member`;
    const s = checkObject(v, item, at, true);
    if (!s) return;
    checkEnum(v, s.type, `${at}.type`, PLACEMENT_STRATEGY_TYPES);
    checkString(v, s.field, `${at}.field`, { max: 255 });
  });
  checkEnum(v, ecs.PropagateTags, `${path}.propagateTags`, PROPAGATE_TAGS_VALUES);
  checkString(v, ecs.ReferenceId, `${path}.referenceId`, { max: 1024 });
  checkTags(v, ecs.Tags, `${path}.tags`);
}

/** Model constraints of one target; returns the target with only the model's members kept. */
function checkTargetModel(v: Violations, value: unknown, path: string): RuleTarget | undefined {
  const t = checkObject(v, value, path, true);
  if (!t) return undefined;
  checkTargetId(v, t.Id, `${path}.id`);
  checkString(v, t.Arn, `${path}.arn`, { required: true, min: 1, max: 1600 });
  checkString(v, t.RoleArn, `${path}.roleArn`, { min: 1, max: 1600 });
  checkString(v, t.Input, `${path}.input`, { max: 8192 });
  checkString(v, t.InputPath, `${path}.inputPath`, { max: 256 });
  const transformer = checkObject(v, t.InputTransformer, `${path}.inputTransformer`);
  if (transformer) {
    const mapPath = `${path}.inputTransformer.inputPathsMap`;
    const map = checkObject(v, transformer.InputPathsMap, mapPath);
    if (map) {
      const entries = Object.entries(map);
      if (entries.length > 100) v.add(map, mapPath, 'have length less than or equal to 100');
      for (const [key, jsonPath] of entries) {
        checkString(v, jsonPath, `${mapPath}.${key}`, { required: true, max: 256 });
      }
    }
    checkString(v, transformer.InputTemplate, `${path}.inputTransformer.inputTemplate`, {
      required: true,
      min: 1,
      max: 8192,
    });
  }
  checkEcsParameters(v, t.EcsParameters, `${path}.ecsParameters`);
  const retry = checkObject(v, t.RetryPolicy, `${path}.retryPolicy`);
  if (retry) {
    checkInteger(v, retry.MaximumRetryAttempts, `${path}.retryPolicy.maximumRetryAttempts`, {
      min: 0,
      max: 185,
    });
    checkInteger(
      v,
      retry.MaximumEventAgeInSeconds,
      `${path}.retryPolicy.maximumEventAgeInSeconds`,
      {
        min: 60,
        max: 86400,
      },
    );
  }
  const dlq = checkObject(v, t.DeadLetterConfig, `${path}.deadLetterConfig`);
  if (dlq) checkString(v, dlq.Arn, `${path}.deadLetterConfig.arn`, { min: 1, max: 1600 });
  for (const key of OTHER_KIND_PARAMETERS) {
    checkObject(v, t[key], `${path}.${key[0]!.toLowerCase()}${key.slice(1)}`);
  }

  const out: Record<string, unknown> = {};
  for (const key of TARGET_MEMBERS) if (t[key] != null) out[key] = t[key];
  return out as unknown as RuleTarget;
}

/**
 * Parameters of target kinds cronbridge cannot invoke (Kinesis, SQS, Batch, HTTP …). They are
 * stored and listed back as given, so a Terraform plan or a `list-targets-by-rule` sees what it
 * put; a slot delivered to such a target is a recorded, dead-lettered `UnsupportedTargetType`.
 */
export const OTHER_KIND_PARAMETERS = [
  'KinesisParameters',
  'RunCommandParameters',
  'BatchParameters',
  'SqsParameters',
  'HttpParameters',
  'RedshiftDataParameters',
  'SageMakerPipelineParameters',
  'AppSyncParameters',
] as const;

/** Every `Target` member cronbridge stores; any other member is not part of the AWS model. */
const TARGET_MEMBERS = [
  'Id',
  'Arn',
  'RoleArn',
  'Input',
  'InputPath',
  'InputTransformer',
  'EcsParameters',
  'RetryPolicy',
  'DeadLetterConfig',
  ...OTHER_KIND_PARAMETERS,
] as const;

/** The model constraints of a whole `Targets` list (1–100 entries [model]). */
export function checkTargetsModel(v: Violations, value: unknown): RuleTarget[] {
  const list = checkList(v, value, 'targets', { required: true, min: 1, max: 100 }) ?? [];
  const out: RuleTarget[] = [];
  list.forEach((item, i) => {
    const target = checkTargetModel(v, item, `targets.${i + 1}.member`);
    if (target) out.push(target);
  });
  return out;
}

/** `arn:aws:ecs:<region>:<account>:cluster/<name>`: the Arn of an ECS RunTask target. */
export function isEcsClusterArn(value: string): boolean {
  return /^arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/.+$/.test(value);
}

/**
 * Target kinds EventBridge can only call with an assumed role. ECS is the one cronbridge runs;
 * the others are refused the same way AWS does so a config that works here works there.
 */
function needsRole(targetArn: string): boolean {
  if (isEcsClusterArn(targetArn)) return true;
  return /^arn:aws[\w-]*:(states|codebuild|kinesis|ssm):/.test(targetArn);
}

/** Placeholders a template may use without declaring them in `InputPathsMap` [doc]. */
const RESERVED_PLACEHOLDERS = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
]);

const SQS_ARN = /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/;

/** The service's own per-target rules; the first broken one fails the whole request. */
export function checkTargetRules(targets: readonly RuleTarget[]): void {
  for (const t of targets) {
    const inputs = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined);
    if (inputs.length > 1) {
      throw new ValidationException(
        `Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`,
      );
    }
    if (t.Input !== undefined && !isJson(t.Input)) {
      // AWS documents Input as "valid JSON text" and refuses other text at PutTargets; this
      // wording comes from an error report relayed by CloudFormation (unconfirmed). Whether an
      // ECS target's Input is a TaskOverride *object* is not checked here: like AWS (as far as
      // is known) we accept any JSON and let the invocation fail if ECS cannot use it.
      throw new ValidationException(`Input for target ${t.Id} is not a valid JSON text.`);
    }
    if (t.InputTransformer) {
      const declared = new Set(Object.keys(t.InputTransformer.InputPathsMap ?? {}));
      for (const match of t.InputTransformer.InputTemplate.matchAll(/<([^<>\s]+)>/g)) {
        const key = match[1] ?? '';
        if (!declared.has(key) && !RESERVED_PLACEHOLDERS.has(key)) {
          throw new ValidationException(
            `InputTemplate for target ${t.Id} contains invalid placeholder ${key}.`,
          );
        }
      }
    }
    if (t.RoleArn === undefined && needsRole(t.Arn)) {
      throw new ValidationException(`RoleArn is required for target ${t.Arn}.`);
    }
    if (isEcsClusterArn(t.Arn)) checkEcsRules(t.Id, t.EcsParameters);
    const dlq = t.DeadLetterConfig?.Arn;
    if (dlq !== undefined && !SQS_ARN.test(dlq)) {
      // Our wording: AWS accepts only an SQS queue ARN here [doc], its message is unconfirmed.
      throw new ValidationException(
        `DeadLetterConfig Arn ${dlq} for target ${t.Id} is not a valid SQS queue ARN.`,
      );
    }
  }
}

/** ECS rules beyond the model; every message here is our own wording (unconfirmed). */
function checkEcsRules(id: string, ecs: EcsParameters | undefined): void {
  if (!ecs) throw new ValidationException(`EcsParameters must be provided for target ${id}.`);
  if (ecs.LaunchType !== undefined && ecs.CapacityProviderStrategy !== undefined) {
    throw new ValidationException(
      `LaunchType and CapacityProviderStrategy cannot both be specified for target ${id}.`,
    );
  }
  const vpc = ecs.NetworkConfiguration?.awsvpcConfiguration;
  if (vpc && vpc.Subnets.length > 16) {
    throw new ValidationException(`Subnets for target ${id} must contain at most 16 entries.`);
  }
  if (vpc?.SecurityGroups && vpc.SecurityGroups.length > 5) {
    throw new ValidationException(
      `SecurityGroups for target ${id} must contain at most 5 entries.`,
    );
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
