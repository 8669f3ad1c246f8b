/** Schema of the events domain (filled in by src/events). */
import type { Kysely } from 'kysely';

export const eventsMigration = {
  async up(_db: Kysely<unknown>): Promise<void> {},
  async down(_db: Kysely<unknown>): Promise<void> {},
};
