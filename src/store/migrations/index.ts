/**
 * Numbered migrations, applied in name order by Kysely's Migrator. Each domain owns its files
 * (`001-ecs.ts`, `002-logs.ts`, ...). They use Kysely's schema builder only, so one list serves
 * SQLite now and PostgreSQL later; a migration never changes once it has shipped.
 */
import type { Migration } from 'kysely';

import { ecsMigration } from './001-ecs.ts';
import { logsMigration } from './002-logs.ts';
import { eventsMigration } from './003-events.ts';
import { firingMigration } from './004-firing.ts';
import { ecsClientTokensMigration } from './005-ecs-client-tokens.ts';
import { firingDeadLetterPagingMigration } from './006-firing-dead-letter-paging.ts';
import { firingHistoryRetentionMigration } from './007-firing-history-retention.ts';
import { iamMigration } from './008-iam.ts';
import { ec2Migration } from './009-ec2.ts';
import { regionsMigration } from './010-regions.ts';
import { ecsRegionsMigration } from './011-ecs-regions.ts';
import { iamUsersMigration } from './012-iam-users.ts';
import { iamUserPoliciesMigration } from './013-iam-user-policies.ts';
import { stsSessionsMigration } from './014-sts-sessions.ts';

export const migrations: Record<string, Migration> = {
  '001-ecs': ecsMigration,
  '002-logs': logsMigration,
  '003-events': eventsMigration,
  '004-firing': firingMigration,
  '005-ecs-client-tokens': ecsClientTokensMigration,
  '006-firing-dead-letter-paging': firingDeadLetterPagingMigration,
  '007-firing-history-retention': firingHistoryRetentionMigration,
  '008-iam': iamMigration,
  '009-ec2': ec2Migration,
  '010-regions': regionsMigration,
  '011-ecs-regions': ecsRegionsMigration,
  '012-iam-users': iamUsersMigration,
  '013-iam-user-policies': iamUserPoliciesMigration,
  '014-sts-sessions': stsSessionsMigration,
};
