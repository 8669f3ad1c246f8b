/**
 * History retention deletes the oldest slots first: an index by nominal time lets each round find
 * them without reading the whole ledger.
 */
import type { Kysely, Migration } from 'kysely';

export const firingHistoryRetentionMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('firing_slots_nominal_idx')
      .on('firing_slots')
      .column('nominal_ms')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('firing_slots_nominal_idx').execute();
  },
};
