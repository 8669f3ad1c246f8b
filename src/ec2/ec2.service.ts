/**
 * The EC2 VPC subset's facade: one per-resource service per member (`vpcs`, `subnets`,
 * `internetGateways`, `securityGroups`, `securityGroupRules`, `routeTables`, `networkAcls`,
 * `tags`), all run through `#inRegion`, which scopes every call to the request's region in one
 * transaction and, on a region's first call, creates that region's default VPC (vpc-defaults.ts).
 * Also the zones of a region and `networkCheck`, the read ECS uses for awsvpc tasks.
 */
import type { Clock } from '../platform/clock.ts';
import type { Store } from '../store/store.ts';
import { matchesFilters } from './ec2-filters.ts';
import { ZONE_SUFFIXES, zoneId, type Ec2Env, type Ec2Scope } from './ec2-region.ts';
import { Ec2ResourceStore } from './ec2-resources.store.ts';
import type { Filter } from './ec2.types.ts';
import { InternetGateways } from './internet-gateways.service.ts';
import { checkNetwork, type NetworkCheck, type NetworkCheckInput } from './network-check.ts';
import { NetworkAcls } from './network-acls.service.ts';
import { RouteTables } from './route-tables.service.ts';
import { SecurityGroupRules } from './security-group-rules.service.ts';
import { SecurityGroups } from './security-groups.service.ts';
import { Subnets } from './subnets.service.ts';
import { Tags } from './tags.service.ts';
import { insertDefaultVpc } from './vpc-defaults.ts';
import { Vpcs } from './vpcs.service.ts';

export type { Ec2Scope } from './ec2-region.ts';
export type { NetworkCheck, NetworkCheckInput } from './network-check.ts';

export interface Ec2ServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
}

/** Facade of the EC2 domain; the API module and the engine use only this. */
export class Ec2Service {
  readonly #deps: Ec2ServiceDeps;
  /** Regions whose default VPC is known to exist (a cache: the table is the truth). */
  readonly #ready = new Set<string>();

  readonly vpcs: Vpcs;
  readonly subnets: Subnets;
  readonly internetGateways: InternetGateways;
  readonly securityGroups: SecurityGroups;
  readonly securityGroupRules: SecurityGroupRules;
  readonly routeTables: RouteTables;
  readonly networkAcls: NetworkAcls;
  readonly tags: Tags;

  constructor(deps: Ec2ServiceDeps) {
    this.#deps = deps;
    const env: Ec2Env = {
      inRegion: (scope, fn) => this.#inRegion(scope, fn),
      now: () => deps.clock.now(),
    };
    this.vpcs = new Vpcs(env);
    this.subnets = new Subnets(env);
    this.internetGateways = new InternetGateways(env);
    this.securityGroups = new SecurityGroups(env);
    this.securityGroupRules = new SecurityGroupRules(env);
    this.routeTables = new RouteTables(env);
    this.networkAcls = new NetworkAcls(env);
    this.tags = new Tags(env);
  }

  /** Runs `fn` on one region's resources in one transaction, after making its default VPC. */
  async #inRegion<T>(scope: Ec2Scope, fn: (r: Ec2ResourceStore) => Promise<T>): Promise<T> {
    const result = await this.#deps.store.transaction(async (trx) => {
      const r = new Ec2ResourceStore(trx, scope.region);
      if (!this.#ready.has(scope.region)) {
        const vpcs = await r.list('vpc');
        if (!vpcs.some((v) => v.isDefault)) {
          await insertDefaultVpc(scope, r, this.#deps.clock.now());
        }
      }
      return fn(r);
    });
    // Only once committed: a failing first call rolls the default VPC back with it.
    this.#ready.add(scope.region);
    return result;
  }

  /**
   * For ECS's awsvpc checks (its own port in src/ecs; the engine wires this method to it): which
   * of the subnets and groups exist in the caller's region, and where the existing ones are.
   */
  async networkCheck(scope: Ec2Scope, input: NetworkCheckInput): Promise<NetworkCheck> {
    return this.#inRegion(scope, (r) => checkNetwork(r, input));
  }

  /** The region's three zones, as DescribeAvailabilityZones lists them. */
  describeAvailabilityZones(scope: Ec2Scope, filters: Filter[]): object[] {
    return ZONE_SUFFIXES.map((s, i) => ({
      zoneName: `${scope.region}${s}`,
      zoneId: zoneId(scope.region, i),
      zoneState: 'available',
      regionName: scope.region,
      groupName: scope.region,
      networkBorderGroup: scope.region,
      optInStatus: 'opt-in-not-required',
      zoneType: 'availability-zone',
      messageSet: [],
    })).filter((z) =>
      matchesFilters(filters, (name) => {
        if (name === 'zone-name') return [z.zoneName];
        if (name === 'zone-id') return [z.zoneId];
        if (name === 'state') return [z.zoneState];
        if (name === 'region-name') return [z.regionName];
        if (name === 'zone-type') return [z.zoneType];
        if (name === 'opt-in-status') return [z.optInStatus];
        return undefined;
      }),
    );
  }
}
