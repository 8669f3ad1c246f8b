/** A scripted EcsTaskRunner: records requests; answers from a queue, else starts `count` tasks. */
import type { EcsTaskRunner, RunTaskRequest, RunTaskResult } from '../../ecs/run-task.ports.ts';
import type { AwsContext } from '../../platform/ids.ts';

type Step = RunTaskResult | Error | ((request: RunTaskRequest) => RunTaskResult | Error);

export class FakeEcsRunner implements EcsTaskRunner {
  readonly requests: RunTaskRequest[] = [];
  /** The region each request ran in, in order. */
  readonly regions: string[] = [];
  readonly #script: Step[] = [];
  #seq = 0;

  /** Queues answers for the next calls, in order. */
  script(...steps: Step[]): void {
    this.#script.push(...steps);
  }

  /** A successful answer with `n` fresh task ARNs. */
  tasks(n: number): RunTaskResult {
    return {
      tasks: Array.from({ length: n }, () => ({
        taskArn: `arn:aws:ecs:us-east-1:123456789012:task/jobs/${(++this.#seq).toString(16).padStart(32, '0')}`,
        lastStatus: 'PROVISIONING',
      })),
      failures: [],
    };
  }

  async runTask(ctx: AwsContext, request: RunTaskRequest): Promise<RunTaskResult> {
    this.requests.push(structuredClone(request));
    this.regions.push(ctx.region);
    let step = this.#script.shift();
    if (typeof step === 'function') step = step(request);
    if (step instanceof Error) throw step;
    return step ?? this.tasks(request.count ?? 1);
  }
}
