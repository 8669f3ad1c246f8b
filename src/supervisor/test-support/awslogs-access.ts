/**
 * {@link AwslogsAccess} stand-ins for tests that drive the supervisor without IAM: one that lets
 * every write through (what a well-made execution role gives) and one that refuses with a
 * given error, recording what was asked either way.
 */
import type {
  AwslogsAccess,
  AwslogsAccessDecision,
  AwslogsWrite,
} from '../awslogs-access.ports.ts';

export class StubAwslogsAccess implements AwslogsAccess {
  readonly asked: AwslogsWrite[] = [];
  constructor(private readonly decision: AwslogsAccessDecision = { allowed: true }) {}

  checkWrite(write: AwslogsWrite): Promise<AwslogsAccessDecision> {
    this.asked.push(write);
    return Promise.resolve(this.decision);
  }
}

/** Every awslogs write allowed. */
export function allowAwslogs(): StubAwslogsAccess {
  return new StubAwslogsAccess();
}
