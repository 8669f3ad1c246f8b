/**
 * The registry of service modules on the one port, and the "supported operations" listing the
 * README table is generated from. Adding a service means writing one module file under
 * `src/api/services/` and passing it to `createApiServer`; nothing here changes.
 *
 * How a request finds its module, per protocol: awsJson by the `X-Amz-Target` prefix; query and
 * ec2 (form bodies) by signing name, else `Version`, else the action; restJson1 by the route
 * table (method + path template).
 */
import type {
  FormServiceModule,
  JsonServiceModule,
  RestJsonServiceModule,
  ServiceModule,
} from './api.types.ts';
import { RestRouteTable } from './rest-json.routes.ts';

/** Finds the module a request is meant for. Built once per server; rejects ambiguous setups. */
export class ServiceRegistry {
  readonly #json = new Map<string, JsonServiceModule>();
  readonly #formBySigningName = new Map<string, FormServiceModule>();
  readonly #formByVersion = new Map<string, FormServiceModule>();
  readonly modules: readonly ServiceModule[];
  /** The restJson1 operations of every module, by method and path. */
  readonly restRoutes: RestRouteTable;

  /** @param reserved method + path pairs the server serves itself (ops endpoints, `POST /`) */
  constructor(
    modules: readonly ServiceModule[],
    reserved: readonly { method: string; path: string }[] = [],
  ) {
    this.modules = modules;
    const rest: RestJsonServiceModule[] = [];
    for (const module of modules) {
      if (module.protocol === 'query' || module.protocol === 'ec2') {
        claim(this.#formBySigningName, module.signingName, module, 'query signing name');
        claim(this.#formByVersion, module.version, module, 'query API version');
      } else if (module.protocol === 'restJson1') {
        rest.push(module);
      } else {
        claim(this.#json, module.targetPrefix, module, 'X-Amz-Target prefix');
      }
    }
    this.restRoutes = new RestRouteTable(rest, reserved);
  }

  /** The awsJson module for an `X-Amz-Target` prefix such as `Logs_20140328`. */
  jsonService(targetPrefix: string): JsonServiceModule | undefined {
    return this.#json.get(targetPrefix);
  }

  /**
   * The query or ec2 module for a form request. The SigV4 scope's service name decides first (it
   * is what the client meant to call); unsigned requests fall back to the `Version` parameter,
   * and finally to the only form module that has the action.
   */
  formService(hints: {
    signingService?: string;
    version?: string;
    action?: string;
  }): FormServiceModule | undefined {
    const bySigning = hints.signingService
      ? this.#formBySigningName.get(hints.signingService)
      : undefined;
    if (bySigning) return bySigning;
    const byVersion = hints.version ? this.#formByVersion.get(hints.version) : undefined;
    if (byVersion) return byVersion;
    const action = hints.action;
    if (!action) return undefined;
    const candidates = [...this.#formByVersion.values()].filter((m) =>
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
  /** `X-Amz-Target` prefix (awsJson), API version (query, ec2) or `method + path` (restJson1). */
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
      routing: routingOf(m),
      operations: Object.keys(m.operations).sort(),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

function routingOf(module: ServiceModule): string {
  switch (module.protocol) {
    case 'query':
    case 'ec2':
      return `Version=${module.version}`;
    case 'restJson1':
      return 'method + path';
    default:
      return `X-Amz-Target: ${module.targetPrefix}`;
  }
}

/** The listing as a Markdown table, for the README. */
export function supportedOperationsMarkdown(modules: readonly ServiceModule[]): string {
  const rows = supportedOperations(modules).map(
    (s) => `| \`${s.service}\` | ${s.protocol} | ${s.operations.join(', ')} |`,
  );
  return ['| Service | Protocol | Operations |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}
