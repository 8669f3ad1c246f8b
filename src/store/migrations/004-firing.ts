/** Schema of the firing domain (filled in by src/firing). */
import type { Kysely } from 'kysely';

export const firingMigration = {
  async up(_db: Kysely<unknown>): Promise<void> {},
  async down(_db: Kysely<unknown>): Promise<void> {},
};
