/** Tables of the firing domain. Filled in by src/firing. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FiringTables {}
