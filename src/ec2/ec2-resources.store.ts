/**
 * Reads and writes of `ec2_resources`: one JSON document per resource, always within one region.
 */
import type { Db } from '../store/store.ts';
import type { Ec2Kind, Ec2Resources } from './ec2.types.ts';

/** Id prefix of each kind, as AWS writes them. */
export const ID_PREFIX: Record<Ec2Kind, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  igw: 'igw',
  sg: 'sg',
  rtb: 'rtb',
  acl: 'acl',
};

/** The kind an id names, from its prefix; undefined for an unknown prefix. */
export function kindOfId(id: string): Ec2Kind | undefined {
  const prefix = id.split('-')[0];
  return (Object.keys(ID_PREFIX) as Ec2Kind[]).find((k) => ID_PREFIX[k] === prefix);
}

/** Typed access to one region's resources. */
export class Ec2ResourceStore {
  constructor(
    private readonly db: Db,
    private readonly region: string,
  ) {}

  async list<K extends Ec2Kind>(kind: K, vpcId?: string): Promise<Ec2Resources[K][]> {
    let q = this.db
      .selectFrom('ec2_resources')
      .select('doc')
      .where('region', '=', this.region)
      .where('kind', '=', kind);
    if (vpcId !== undefined) q = q.where('vpc_id', '=', vpcId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.doc) as Ec2Resources[K]);
  }

  async get<K extends Ec2Kind>(kind: K, id: string): Promise<Ec2Resources[K] | undefined> {
    const row = await this.db
      .selectFrom('ec2_resources')
      .select('doc')
      .where('region', '=', this.region)
      .where('id', '=', id)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? (JSON.parse(row.doc) as Ec2Resources[K]) : undefined;
  }

  async insert<K extends Ec2Kind>(
    kind: K,
    id: string,
    vpcId: string | null,
    doc: Ec2Resources[K],
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto('ec2_resources')
      .values({
        region: this.region,
        id,
        kind,
        vpc_id: vpcId,
        doc: JSON.stringify(doc),
        created_at: now,
      })
      .execute();
  }

  async update<K extends Ec2Kind>(
    kind: K,
    id: string,
    doc: Ec2Resources[K],
    vpcId?: string | null,
  ): Promise<void> {
    await this.db
      .updateTable('ec2_resources')
      .set({ doc: JSON.stringify(doc), ...(vpcId === undefined ? {} : { vpc_id: vpcId }) })
      .where('region', '=', this.region)
      .where('id', '=', id)
      .where('kind', '=', kind)
      .execute();
  }

  async remove(id: string): Promise<void> {
    await this.db
      .deleteFrom('ec2_resources')
      .where('region', '=', this.region)
      .where('id', '=', id)
      .execute();
  }
}
