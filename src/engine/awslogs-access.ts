/**
 * The supervisor's {@link AwslogsAccess} on IAM: Fargate's awslogs driver writes with the task's
 * execution role, so before a task starts we ask whether that role (as an `ecs-tasks` session)
 * may `logs:CreateLogStream` and `logs:PutLogEvents` on the container's stream, using the same
 * resource ARNs the Logs API's own operations are authorised on (`src/api/authorization/`).
 */
import { authorizationTarget } from '../api/authorization/authorization-target.ts';
import { type IamAuthorization, accessDeniedMessage } from '../iam/policy-evaluation/index.ts';
import type { Clock } from '../platform/clock.ts';
import type {
  AwslogsAccess,
  AwslogsAccessDecision,
  AwslogsWrite,
} from '../supervisor/awslogs-access.ports.ts';
import { assumedRoleSessionArn } from './service-session.ts';

/** What the log driver calls, in order: the stream is created, then written to. */
const LOG_WRITES = ['CreateLogStream', 'PutLogEvents'] as const;

export class IamAwslogsAccess implements AwslogsAccess {
  constructor(
    private readonly authorization: IamAuthorization,
    private readonly clock: Clock,
  ) {}

  async checkWrite(write: AwslogsWrite): Promise<AwslogsAccessDecision> {
    if (write.executionRoleArn === undefined) {
      // The driver then finds no credentials at all; this is the AWS SDK for Go's error for it.
      return {
        allowed: false,
        code: 'NoCredentialProviders',
        message: 'no valid providers in chain',
      };
    }
    const principal = assumedRoleSessionArn(write.executionRoleArn, write.taskArn);
    const input = { logGroupName: write.groupName, logStreamName: write.streamName };
    for (const operation of LOG_WRITES) {
      const target = await authorizationTarget('logs', operation, input, { aws: write.context });
      const decision = await this.authorization.authorize({
        principal,
        action: target.action,
        resources: target.resources,
        context: target.context,
        region: write.context.region,
        now: this.clock.now(),
      });
      if (!decision.allowed) {
        return {
          allowed: false,
          code: 'AccessDeniedException',
          message: accessDeniedMessage(decision),
        };
      }
    }
    return { allowed: true };
  }
}
