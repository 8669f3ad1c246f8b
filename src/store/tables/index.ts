/**
 * Row types of every table, one file per domain (`ecs.tables.ts`, `logs.tables.ts`, ...).
 * Row types are the stored form (`TaskRow`), kept apart from the domain model (`Task`) and the AWS
 * wire shapes (`RunTaskInput`). Timestamps are integer milliseconds since the epoch; nested
 * structures are JSON text.
 */
import type { Ec2Tables } from './ec2.tables.ts';
import type { EcsTables } from './ecs.tables.ts';
import type { EventsTables } from './events.tables.ts';
import type { FiringTables } from './firing.tables.ts';
import type { IamTables } from './iam.tables.ts';
import type { InvokeTables } from './invoke.tables.ts';
import type { LogsTables } from './logs.tables.ts';
import type { StsTables } from './sts.tables.ts';

/** The whole schema as Kysely sees it. */
export interface Database
  extends
    EcsTables,
    LogsTables,
    EventsTables,
    FiringTables,
    InvokeTables,
    IamTables,
    Ec2Tables,
    StsTables {}
