/**
 * A TaskProgressSink that keeps every update in memory, for unit tests of the supervisor. The
 * real sink is the ECS service on the store; this one lets tests read the exact sequence.
 */
import type {
  ContainerProgressUpdate,
  ContainerStats,
  TaskProgressSink,
  TaskProgressUpdate,
} from '../task-progress.ts';

export class RecordingProgress implements TaskProgressSink {
  readonly tasks = new Map<string, TaskProgressUpdate[]>();
  readonly containers = new Map<string, Map<string, ContainerProgressUpdate[]>>();
  readonly stats: ContainerStats[] = [];

  async taskProgress(taskArn: string, update: TaskProgressUpdate): Promise<void> {
    const list = this.tasks.get(taskArn) ?? [];
    list.push(update);
    this.tasks.set(taskArn, list);
  }

  async containerProgress(
    taskArn: string,
    containerName: string,
    update: ContainerProgressUpdate,
  ): Promise<void> {
    const byName = this.containers.get(taskArn) ?? new Map<string, ContainerProgressUpdate[]>();
    const list = byName.get(containerName) ?? [];
    list.push(update);
    byName.set(containerName, list);
    this.containers.set(taskArn, byName);
  }

  async recordStats(_taskArn: string, samples: ContainerStats[]): Promise<void> {
    this.stats.push(...samples);
  }

  /** The task's statuses in order. */
  statuses(taskArn: string): string[] {
    return (this.tasks.get(taskArn) ?? []).map((u) => u.lastStatus);
  }

  /** The task's last update (its STOPPED record once done). */
  last(taskArn: string): TaskProgressUpdate | undefined {
    return this.tasks.get(taskArn)?.at(-1);
  }

  /** A container's last update. */
  container(taskArn: string, name: string): ContainerProgressUpdate | undefined {
    return this.containers.get(taskArn)?.get(name)?.at(-1);
  }
}
