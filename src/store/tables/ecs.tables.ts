/** Tables of the ECS domain (clusters, task definitions, tasks). Filled in by src/ecs. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EcsTables {}
