/**
 * Prototype of a fix proposed to the lead (src/ is theirs): DockerRuntime.streamLogs with a
 * bounded top-up read. Used by bench/tasks.ts only with `--runtime=bounded-topup`.
 *
 * Today, after a follow stream ends, DockerRuntime re-reads the stored log from 5 s before the
 * newest entry and de-duplicates against a 5-second window of remembered entries. A container that
 * printed its whole output within 5 s (`seq 1 1000000` does) gets its whole log read twice and
 * every entry remembered in a Map.
 *
 * Here the follow stream is known to be a prefix of the engine's log in log order, so the top-up
 * only has to find the last entry it delivered: read the last `tail` entries (Engine API `tail`,
 * which json-file serves from the end of the file), deliver what follows that entry; when the
 * entry is not among them, read a 16× longer tail. O(1) memory, and the usual cost is reading a
 * few hundred entries.
 */
import Docker from 'dockerode';

import type { LogLine, StreamLogsOptions } from '../../src/runtime/container-runtime.ts';
import { DockerRuntime, type DockerRuntimeOptions } from '../../src/runtime/docker-runtime.ts';
import {
  LineAssembler,
  type LogEntry,
  LogEntryParser,
  sinceParameter,
} from '../../src/runtime/log-lines.ts';

const FIRST_TAIL = 256;

function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return a.stream === b.stream && a.timestampNs === b.timestampNs && a.text.equals(b.text);
}

export class BoundedTopUpRuntime extends DockerRuntime {
  readonly #docker: Docker;
  readonly #now: () => number;

  constructor(options: DockerRuntimeOptions) {
    super(options);
    const c = options.connection;
    this.#docker =
      c.kind === 'socket'
        ? new Docker({ socketPath: c.socketPath })
        : new Docker({ host: c.host, port: c.port, protocol: 'http' });
    this.#now = () => options.clock.now();
  }

  override async *streamLogs(id: string, options: StreamLogsOptions): AsyncIterable<LogLine> {
    if (!options.follow) {
      yield* super.streamLogs(id, options);
      return;
    }
    const sinceNs = options.since === undefined ? undefined : BigInt(options.since) * 1_000_000n;
    const base = {
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(sinceNs === undefined ? {} : { since: sinceParameter(sinceNs) }),
      ...(options.signal ? { abortSignal: options.signal } : {}),
    };
    const container = this.#docker.getContainer(id);
    const lines = new LineAssembler(this.#now);
    const parser = new LogEntryParser();
    let last: LogEntry | undefined;
    const stream = await container.logs({ ...base, follow: true });
    try {
      for await (const chunk of stream) {
        for (const entry of parser.push(chunk as Buffer)) {
          last = entry;
          const line = lines.add(entry);
          if (line) yield line;
        }
      }
    } finally {
      (stream as { destroy?: () => void }).destroy?.();
    }
    if (options.signal?.aborted) return;
    for (let tail = FIRST_TAIL; ; tail *= 16) {
      let body: Buffer;
      try {
        body = (await container.logs({ ...base, follow: false, tail })) as Buffer;
      } catch {
        break; // removed meanwhile: deliver what we have (as DockerRuntime does)
      }
      const entries = new LogEntryParser().push(body);
      let at = -1;
      if (last) {
        for (let i = entries.length - 1; i >= 0; i--) {
          if (sameEntry(entries[i] as LogEntry, last)) {
            at = i;
            break;
          }
        }
      }
      const whole = entries.length < tail;
      if (at >= 0 || whole) {
        // Found the last delivered entry: deliver what follows it. Read the whole log without
        // finding it: everything when nothing was delivered yet, else nothing (the entry is gone,
        // so no position is known and re-delivering would duplicate).
        const from = at >= 0 || !last ? at + 1 : entries.length;
        for (const entry of entries.slice(from)) {
          const line = lines.add(entry);
          if (line) yield line;
        }
        break;
      }
    }
    yield* lines.end();
  }
}
