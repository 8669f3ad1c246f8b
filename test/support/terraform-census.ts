/**
 * The operations the AWS provider called, read from its debug log (TF_LOG=DEBUG): every
 * "HTTP Request Sent" entry names `rpc.service` and `rpc.method`. Used to report, in the test
 * output, which operations a Terraform run needed and which of them cronbridge refused.
 */
import { readFileSync } from 'node:fs';

export interface OperationCall {
  service: string;
  operation: string;
  calls: number;
}

/** `Service Operation` → number of calls, across the given log files, sorted. */
export function providerOperations(logFiles: readonly string[]): OperationCall[] {
  const counts = new Map<string, number>();
  for (const file of logFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // One log entry can span lines (bodies); entries start with an ISO timestamp.
    for (const entry of text.split(/\n(?=\d{4}-\d\d-\d\dT)/)) {
      if (!entry.includes('HTTP Request Sent')) continue;
      const method = /rpc\.method=(\w+)/.exec(entry)?.[1];
      const service = /rpc\.service=("[^"]+"|\S+)/.exec(entry)?.[1]?.replaceAll('"', '');
      if (!method || !service) continue;
      const key = `${service}\t${method}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([key, calls]) => {
      const [service, operation] = key.split('\t') as [string, string];
      return { service, operation, calls };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}
