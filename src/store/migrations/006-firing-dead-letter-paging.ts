/**
 * Dead letters are listed oldest first, all of them or one rule's, a page at a time by
 * (created_ms, id): these indexes let each page start where the last ended instead of reading
 * every letter before it.
 */
import type { Kysely, Migration } from 'kysely';

export const firingDeadLetterPagingMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('firing_dead_letters_created_idx')
      .on('firing_dead_letters')
      .columns(['created_ms', 'id'])
      .execute();
    await db.schema
      .createIndex('firing_dead_letters_rule_created_idx')
      .on('firing_dead_letters')
      .columns(['rule_arn', 'created_ms', 'id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('firing_dead_letters_rule_created_idx').execute();
    await db.schema.dropIndex('firing_dead_letters_created_idx').execute();
  },
};
