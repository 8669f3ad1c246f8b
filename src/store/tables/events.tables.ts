/** Tables of the events domain. Filled in by src/events. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventsTables {}
