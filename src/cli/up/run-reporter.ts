/**
 * Turns the engine's lifecycle events into `cronbridge up`'s run lines: a slot fired, a task
 * started, a task stopped (plus missed slots, dead-lettered invocations, firing errors, and the
 * container engine going silent or coming back).
 *
 * Task events carry only the ARN, so the line's details (family, startedBy, exit codes, stop
 * reason, times) are read back from the store; the supervisor emits only after the change is
 * stored, so the record is already current. Lines are written one at a time through a queue:
 * a slow read for one event must not let a later event's line overtake it.
 */
import { contextFromArn } from '../../platform/ids.ts';
import type { RunEvent } from '../../invoke/index.ts';
import { coerceError } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { TaskRunEvent } from '../../supervisor/task-run.ts';
import type { Engine } from '../../engine/engine.ts';
import {
  formatDeadLettered,
  formatEngineHealth,
  formatProblem,
  formatSlotFired,
  formatSlotsMissed,
  formatTaskStarted,
  formatTaskStopped,
} from './up.format.ts';

export interface RunReporterDeps {
  engine: Pick<Engine, 'firing' | 'invoker' | 'supervisor' | 'ecs'> &
    Partial<Pick<Engine, 'engineCalls'>>;
  clock: Clock;
  /** Receives one line at a time, without the newline. */
  write: (line: string) => void;
}

export class RunReporter {
  readonly #d: RunReporterDeps;
  #queue: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void)[] = [];

  constructor(deps: RunReporterDeps) {
    this.#d = deps;
  }

  /** Subscribes to the engine's events; idempotent. */
  start(): void {
    if (this.#unsubscribe.length > 0) return;
    const { engine } = this.#d;
    this.#unsubscribe = [
      engine.firing.events.on((event) => this.#onFiring(event)),
      engine.invoker.events.on((event) => this.#onFiring(event)),
      engine.supervisor.on((event) => this.#onTask(event)),
    ];
    // One line when the engine stops answering and one when it is back, never one per call.
    const engineCalls = engine.engineCalls;
    if (engineCalls) {
      this.#unsubscribe.push(
        engineCalls.on((event) => {
          const now = this.#d.clock.now();
          const message = event.type === 'engine:unresponsive' ? event.error.message : undefined;
          this.#enqueue(async () => formatEngineHealth(now, message));
        }),
      );
    }
  }

  /** Unsubscribes and waits for lines still being prepared. */
  async stop(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await this.idle();
  }

  /** Resolves once every line for events seen so far is written (tests wait on this). */
  async idle(): Promise<void> {
    for (;;) {
      const queue = this.#queue;
      await queue;
      if (queue === this.#queue) return;
    }
  }

  #onFiring(event: RunEvent): void {
    const now = this.#d.clock.now();
    switch (event.type) {
      case 'firing:slot':
        this.#enqueue(async () => formatSlotFired(event));
        break;
      case 'firing:missed':
        this.#enqueue(async () => formatSlotsMissed(now, event));
        break;
      case 'invoke:deadLettered':
        this.#enqueue(async () => formatDeadLettered(now, event));
        break;
      case 'firing:error':
      case 'invoke:error':
        // One label for both: to the operator it is all "firing".
        this.#enqueue(async () =>
          formatProblem(
            now,
            event.ruleArn ? `firing ${event.ruleArn}` : 'firing',
            event.error.message,
          ),
        );
        break;
      default:
        break;
    }
  }

  #onTask(event: TaskRunEvent): void {
    const now = this.#d.clock.now();
    if (event.type === 'task:status' && event.status === 'RUNNING') {
      this.#enqueue(async () => {
        const task = await this.#describe(event.taskArn);
        return formatTaskStarted(now, {
          taskArn: event.taskArn,
          ...(task?.taskDefinitionArn ? { taskDefinitionArn: task.taskDefinitionArn } : {}),
          ...(task?.startedBy ? { startedBy: task.startedBy } : {}),
        });
      });
    } else if (event.type === 'task:stopped') {
      this.#enqueue(async () => {
        const task = await this.#describe(event.taskArn);
        const fromMs = task?.startedAt ?? task?.createdAt;
        return formatTaskStopped(now, {
          taskArn: event.taskArn,
          stopCode: task?.stopCode ?? event.stopCode,
          stoppedReason: task?.stoppedReason ?? event.reason,
          containers: (task?.containers ?? []).map((c) => ({
            name: c.name,
            ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
          })),
          ...(fromMs === undefined ? {} : { fromMs }),
          ...(task?.stoppedAt === undefined ? {} : { toMs: task.stoppedAt }),
        });
      });
    }
  }

  /** The stored task, or undefined when it cannot be read (cluster deleted since): the line
   * then carries what the event itself says. */
  async #describe(taskArn: string) {
    try {
      // A task is described in its own region, which its ARN names.
      const ctx = contextFromArn(taskArn);
      if (!ctx) return undefined;
      const { tasks } = await this.#d.engine.ecs.describeTasks(ctx, { tasks: [taskArn] });
      return tasks[0];
    } catch {
      return undefined;
    }
  }

  #enqueue(line: () => Promise<string>): void {
    this.#queue = this.#queue.then(async () => {
      let text: string;
      try {
        text = await line();
      } catch (error) {
        // The line is lost but the reporter is not: a store hiccup must never stop reporting.
        text = formatProblem(this.#d.clock.now(), 'report', coerceError(error).message);
      }
      try {
        this.#d.write(text);
      } catch {
        // A broken output (closed pipe) must never break the engine.
      }
    });
  }
}
