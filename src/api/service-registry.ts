/**
 * The registry of service modules on the one port, and the "supported operations" listing the
 * README table is generated from. Adding a service means writing one module file under
 * `src/api/services/` and passing it to `createApiServer`; nothing here changes.
 */
import type { JsonServiceModule, QueryServiceModule, ServiceModule } from './api.types.ts';

/** Finds the module a request is meant for. Built once per server; rejects ambiguous setups. */
export class ServiceRegistry {
  readonly #json = new Map<string, JsonServiceModule>();
  readonly #queryBySigningName = new Map<string, QueryServiceModule>();
  readonly #queryByVersion = new Map<string, QueryServiceModule>();
  readonly modules: readonly ServiceModule[];

  constructor(modules: readonly ServiceModule[]) {
    this.modules = modules;
    for (const module of modules) {
      if (module.protocol === 'query') {
        claim(this.#queryBySigningName, module.signingName, module, 'query signing name');
        claim(this.#queryByVersion, module.version, module, 'query API version');
      } else {
        claim(this.#json, module.targetPrefix, module, 'X-Amz-Target prefix');
      }
    }
  }

  /** The awsJson module for an `X-Amz-Target` prefix such as `Logs_20140328`. */
  jsonService(targetPrefix: string): JsonServiceModule | undefined {
    return this.#json.get(targetPrefix);
  }

  /**
   * The query module for a form request. The SigV4 scope's service name decides first (it is what
   * the client meant to call); unsigned requests fall back to the `Version` parameter, and
   * finally to the only query module that has the action.
   */
  queryService(hints: {
    signingService?: string;
    version?: string;
    action?: string;
  }): QueryServiceModule | undefined {
    const bySigning = hints.signingService
      ? this.#queryBySigningName.get(hints.signingService)
      : undefined;
    if (bySigning) return bySigning;
    const byVersion = hints.version ? this.#queryByVersion.get(hints.version) : undefined;
    if (byVersion) return byVersion;
    const action = hints.action;
    if (!action) return undefined;
    const candidates = [...this.#queryByVersion.values()].filter((m) =>
      Object.hasOwn(m.operations, action),
    );
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}

function claim<T>(map: Map<string, T>, key: string, value: T, what: string): void {
  if (map.has(key)) throw new Error(`two service modules claim the same ${what}: ${key}`);
  map.set(key, value);
}

/** One row of the supported-operations listing. */
export interface SupportedService {
  /** SigV4 signing name, which is also the AWS CLI's service name for these services. */
  readonly service: string;
  readonly protocol: ServiceModule['protocol'];
  /** `X-Amz-Target` prefix (JSON) or API version (query). */
  readonly routing: string;
  /** Operation names, sorted. */
  readonly operations: readonly string[];
}

/** Lists every registered service and its operations, sorted by service name. */
export function supportedOperations(modules: readonly ServiceModule[]): SupportedService[] {
  return modules
    .map((m) => ({
      service: m.signingName,
      protocol: m.protocol,
      routing: m.protocol === 'query' ? `Version=${m.version}` : `X-Amz-Target: ${m.targetPrefix}`,
      operations: Object.keys(m.operations).sort(),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** The listing as a Markdown table, for the README. */
export function supportedOperationsMarkdown(modules: readonly ServiceModule[]): string {
  const rows = supportedOperations(modules).map(
    (s) => `| \`${s.service}\` | ${s.protocol} | ${s.operations.join(', ')} |`,
  );
  return ['| Service | Protocol | Operations |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}
