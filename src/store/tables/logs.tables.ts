/** Tables of the CloudWatch Logs domain (groups, streams, events). Filled in by src/logs. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogsTables {}
