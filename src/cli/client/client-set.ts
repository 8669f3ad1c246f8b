/**
 * The clients one command talks through: the AWS SDK v3 clients wherever AWS has the operation
 * (cronbridge eats its own cooking: if `aws ecs run-task` would work, so does `cronbridge
 * run-task`), plus the typed client of cronbridge's own API. Built lazily, destroyed together so
 * no keep-alive socket holds the process open after the command.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

import { SystemClock, type Clock } from '../../platform/clock.ts';
import type { ClientSettings } from './client-settings.ts';
import { CronbridgeClient } from './cronbridge.client.ts';

export interface ClientSet {
  readonly settings: ClientSettings;
  readonly ecs: ECSClient;
  readonly events: EventBridgeClient;
  readonly logs: CloudWatchLogsClient;
  readonly cronbridge: CronbridgeClient;
  destroy(): void;
}

export function createClientSet(
  settings: ClientSettings,
  signingClock: Clock = new SystemClock(),
): ClientSet {
  const common = {
    endpoint: settings.endpoint,
    region: settings.region,
    credentials: settings.credentials,
    // One retry: enough for a blip, short enough that "server not running" answers quickly.
    maxAttempts: 2,
  };
  let ecs: ECSClient | undefined;
  let events: EventBridgeClient | undefined;
  let logs: CloudWatchLogsClient | undefined;
  let cronbridge: CronbridgeClient | undefined;
  return {
    settings,
    get ecs() {
      return (ecs ??= new ECSClient(common));
    },
    get events() {
      return (events ??= new EventBridgeClient(common));
    },
    get logs() {
      return (logs ??= new CloudWatchLogsClient(common));
    },
    get cronbridge() {
      // Signed at wall-clock time like the SDK clients beside it, whatever `clock` simulates: the
      // server refuses signatures more than 15 minutes away from its own time.
      return (cronbridge ??= new CronbridgeClient({ ...settings, clock: signingClock }));
    },
    destroy() {
      ecs?.destroy();
      events?.destroy();
      logs?.destroy();
    },
  };
}
