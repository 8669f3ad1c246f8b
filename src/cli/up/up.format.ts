/**
 * What `cronbridge up` prints: the start-up summary and one line per run event. Pure functions of
 * plain data, so the wording is tested without an engine. Run lines start with the instant they
 * happened (UTC, to the second) and a fixed-width verb, so a terminal or `grep` reads them easily.
 */
import type { RecoveryReport } from '../../supervisor/task-supervisor.ts';
import { formatInstant } from '../commands/schedule-next.ts';

/** Everything the start-up summary shows. */
export interface StartupSummary {
  /** `http://host:port` actually bound (port 0 resolved). */
  apiUrl: string;
  /** The API listens on an address other machines may reach (not loopback). */
  exposed?: boolean;
  /** Config `allowHostAccess`: task containers may reach the host. */
  hostAccess?: boolean;
  /** Absolute data directory. */
  dataDir: string;
  instanceId: string;
  docker: {
    /** `unix:///var/run/docker.sock` or `tcp://host:port`. */
    address: string;
    /** `docker` or `podman`. */
    engine: string;
    version: string;
    apiVersion?: string;
  };
  /** Enabled scheduled rules in the firing index. */
  rules: number;
  /** The earliest upcoming slot over all rules, if any rule will fire again. */
  nextSlot?: { ruleArn: string; atMs: number };
  recovery: RecoveryReport;
  /** The clock's now, to say "in 42s". */
  nowMs: number;
}

/** Task ids the recovery line names before it abbreviates to a count. */
const RECOVERY_IDS_SHOWN = 5;

/** `arn:…:rule/name` → `name`; a rule on a custom bus reads `bus/name`. */
export function ruleNameOf(ruleArn: string): string {
  const at = ruleArn.indexOf(':rule/');
  return at < 0 ? ruleArn : ruleArn.slice(at + ':rule/'.length);
}

/** The 32-hex id at the end of a task ARN (the ARN itself when it has no slash). */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/** `arn:…:task-definition/family:3` → `family:3`. */
export function familyOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}

/** Short human durations: `850ms`, `3.2s`, `2m05s`, `1h02m`. Negative counts as zero. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value}ms`;
  if (value < 60_000) return `${(Math.floor(value / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(value / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function idList(arns: readonly string[]): string {
  const shown = arns.slice(0, RECOVERY_IDS_SHOWN).map(taskIdOf).join(', ');
  const rest = arns.length - RECOVERY_IDS_SHOWN;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}

/** The recovery part of the summary: what the previous run left behind and what became of it. */
export function formatRecovery(report: RecoveryReport): string {
  const parts: string[] = [];
  if (report.adopted.length > 0) {
    parts.push(`${plural(report.adopted.length, 'task')} re-attached (${idList(report.adopted)})`);
  }
  if (report.restarted.length > 0) {
    parts.push(
      `${plural(report.restarted.length, 'unstarted task')} launched again (${idList(report.restarted)})`,
    );
  }
  if (report.vanished.length > 0) {
    parts.push(
      `${plural(report.vanished.length, 'task')} STOPPED, containers gone (${idList(report.vanished)})`,
    );
  }
  if (report.removedContainers.length > 0) {
    parts.push(`${plural(report.removedContainers.length, 'leftover container')} removed`);
  }
  return parts.length === 0 ? 'nothing to re-attach' : parts.join('; ');
}

/** The start-up summary, one string per line (no newlines). */
export function formatSummary(s: StartupSummary): string[] {
  const engine = `${s.docker.engine} ${s.docker.version}${
    s.docker.apiVersion ? ` (API ${s.docker.apiVersion})` : ''
  } at ${s.docker.address}`;
  const next = s.nextSlot
    ? `${ruleNameOf(s.nextSlot.ruleArn)} at ${formatInstant(new Date(s.nextSlot.atMs))} ` +
      `(in ${formatDuration(s.nextSlot.atMs - s.nowMs)})`
    : 'none (no enabled scheduled rule)';
  const rows: [string, string][] = [
    ['API endpoint', s.apiUrl],
    ['data dir', `${s.dataDir} (instance ${s.instanceId})`],
    ['containers', engine],
    ['rules', `${plural(s.rules, 'scheduled rule')} loaded`],
    ['next slot', next],
    ['recovery', formatRecovery(s.recovery)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'cronbridge is up',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...(s.exposed ? EXPOSED_WARNING : []),
    ...(s.hostAccess ? HOST_ACCESS_WARNING : []),
  ];
}

/** Said at every start while `allowHostAccess` is on. */
export const HOST_ACCESS_WARNING = [
  'WARNING: allowHostAccess is on: task definitions may use the host network, privileged mode,',
  'host volumes and devices, so an API caller can take over this machine.',
];

/**
 * Said at every start while the API is reachable from other machines: requests are not
 * authenticated yet, and an API caller can run containers on this machine.
 */
export const EXPOSED_WARNING = [
  'WARNING: the API listens beyond this machine and does not check signatures yet: anyone who',
  'can reach the port can run containers here. Use --host 127.0.0.1 unless the network is trusted.',
];

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Verbs are padded to one width so the columns after them line up. */
const VERB_WIDTH = 8;

function runLine(atMs: number, verb: string, text: string): string {
  return `${formatInstant(new Date(atMs))}  ${verb.padEnd(VERB_WIDTH)} ${text}`;
}

/** A rule's slot was claimed and handed to its targets. */
export function formatSlotFired(e: { ruleArn: string; nominalMs: number; firedAtMs: number }) {
  return runLine(
    e.firedAtMs,
    'fired',
    `rule ${ruleNameOf(e.ruleArn)}  slot ${formatInstant(new Date(e.nominalMs))}`,
  );
}

/** Slots recorded MISSED (engine down or clock jump past the lateness window). */
export function formatSlotsMissed(
  atMs: number,
  e: { ruleArn: string; firstMs: number; lastMs: number; count: number },
) {
  const range =
    e.count === 1
      ? formatInstant(new Date(e.firstMs))
      : `${formatInstant(new Date(e.firstMs))} .. ${formatInstant(new Date(e.lastMs))}`;
  return runLine(
    atMs,
    'missed',
    `rule ${ruleNameOf(e.ruleArn)}  ${plural(e.count, 'slot')} ${range} (too late to fire)`,
  );
}

/** An invocation failed for good (retries exhausted or not retryable). */
export function formatDeadLettered(
  atMs: number,
  e: { ruleArn: string; targetId: string; attempts: number; errorCode: string },
) {
  return runLine(
    atMs,
    'failed',
    `rule ${ruleNameOf(e.ruleArn)}  target ${e.targetId}: ${e.errorCode} after ${plural(e.attempts, 'attempt')}`,
  );
}

/** What the started line needs from the task record. */
export interface StartedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  startedBy?: string;
}

/** A task's first container is running. */
export function formatTaskStarted(atMs: number, task: StartedTask): string {
  const family = task.taskDefinitionArn ? `  family ${familyOf(task.taskDefinitionArn)}` : '';
  const by = task.startedBy ? `by ${task.startedBy}` : 'by RunTask';
  return runLine(atMs, 'started', `task ${taskIdOf(task.taskArn)}${family}  ${by}`);
}

/** What the stopped line needs from the task record. */
export interface StoppedTask {
  taskArn: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; exitCode?: number }[];
  /** Start of the duration: when it ran (`startedAt`), else when it was created. */
  fromMs?: number;
  /** End of the duration: `stoppedAt`. */
  toMs?: number;
}

/** A task reached STOPPED. */
export function formatTaskStopped(atMs: number, task: StoppedTask): string {
  const exits =
    task.containers.length === 0
      ? 'exit -'
      : `exit ${task.containers.map((c) => `${c.name}=${c.exitCode ?? '-'}`).join(' ')}`;
  const reason = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'stopped';
  const duration =
    task.fromMs !== undefined ? `  after ${formatDuration((task.toMs ?? atMs) - task.fromMs)}` : '';
  return runLine(atMs, 'stopped', `task ${taskIdOf(task.taskArn)}  ${exits}  ${reason}${duration}`);
}

/** Housekeeping removed expired records. */
export function formatPurged(
  atMs: number,
  purged: { tasks: number; events: number; slots: number; deadLetters: number },
): string {
  const parts = [
    plural(purged.tasks, 'expired stopped task'),
    plural(purged.events, 'expired log event'),
  ];
  if (purged.slots > 0) parts.push(plural(purged.slots, 'history slot'));
  if (purged.deadLetters > 0) parts.push(plural(purged.deadLetters, 'dead letter'));
  return runLine(atMs, 'purged', parts.join(', '));
}

/** Start-up produced more run lines than `up` holds back for after its summary. */
export function formatLinesNotShown(atMs: number, count: number): string {
  return runLine(
    atMs,
    'note',
    `${plural(count, 'more start-up line')} not shown; \`cronbridge history <rule>\` has every slot`,
  );
}

/** Something the engine survives but the operator should see. */
export function formatProblem(atMs: number, what: string, message: string): string {
  return runLine(atMs, 'error', `${what}: ${message}`);
}

/** The container engine stopped answering (a call timed out or found no engine), or came back. */
export function formatEngineHealth(atMs: number, message: string | undefined): string {
  return message === undefined
    ? runLine(atMs, 'note', 'container engine: answering again')
    : runLine(
        atMs,
        'warning',
        `container engine: ${message}; tasks fail to start until it answers again`,
      );
}
