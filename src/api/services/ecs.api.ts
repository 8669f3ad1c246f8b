/**
 * ECS on the wire (awsJson1.1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`).
 * The ECS service speaks wire shapes with millisecond timestamps; ECS's JSON protocol sends
 * timestamps as epoch seconds, so this module converts them on the way out.
 */
import * as model from '@aws-sdk/client-ecs';

import type { EcsService } from '../../ecs/ecs.service.ts';
import type { JsonOperation, JsonServiceModule } from '../api.types.ts';
import { epochSecondsConverter } from '../epoch-seconds.ts';
import { operationInput } from '../model-shapes.ts';

/** Members ECS declares as timestamps. */
export const toEpochSeconds = epochSecondsConverter([
  'createdAt',
  'pullStartedAt',
  'pullStoppedAt',
  'startedAt',
  'stoppingAt',
  'executionStoppedAt',
  'stoppedAt',
  'connectivityAt',
  'registeredAt',
  'deregisteredAt',
  'deleteRequestedAt',
]);

/**
 * Binds an EcsService method as a handler, its input members typed by the SDK's schema of the
 * operation (every depth), so a wrong JSON type never reaches the service or the store. Every
 * number in the ECS inputs served here is an Integer (checked against the `ecs` model), so no
 * numeric kinds are named.
 */
function op<I>(schema: unknown, call: (input: I) => Promise<unknown>): JsonOperation {
  return {
    input: operationInput(schema),
    handler: async (body) => toEpochSeconds(await call(body as I)),
  };
}

/** The ECS module for `createApiServer`. */
export function ecsApi(ecs: EcsService): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    errorMessageKey: 'message',
    internalErrorCode: 'ServerException',
    operations: {
      CreateCluster: op<Parameters<EcsService['createCluster']>[0]>(model.CreateCluster$, (i) =>
        ecs.createCluster(i),
      ),
      DescribeClusters: op<Parameters<EcsService['describeClusters']>[0]>(
        model.DescribeClusters$,
        (i) => ecs.describeClusters(i),
      ),
      ListClusters: op<Parameters<EcsService['listClusters']>[0]>(model.ListClusters$, (i) =>
        ecs.listClusters(i),
      ),
      DeleteCluster: op<Parameters<EcsService['deleteCluster']>[0]>(model.DeleteCluster$, (i) =>
        ecs.deleteCluster(i),
      ),
      UpdateClusterSettings: op<Parameters<EcsService['updateClusterSettings']>[0]>(
        model.UpdateClusterSettings$,
        (i) => ecs.updateClusterSettings(i),
      ),
      PutClusterCapacityProviders: op<Parameters<EcsService['putClusterCapacityProviders']>[0]>(
        model.PutClusterCapacityProviders$,
        (i) => ecs.putClusterCapacityProviders(i),
      ),
      RegisterTaskDefinition: op<Parameters<EcsService['registerTaskDefinition']>[0]>(
        model.RegisterTaskDefinition$,
        (i) => ecs.registerTaskDefinition(i),
      ),
      DescribeTaskDefinition: op<Parameters<EcsService['describeTaskDefinition']>[0]>(
        model.DescribeTaskDefinition$,
        (i) => ecs.describeTaskDefinition(i),
      ),
      DeregisterTaskDefinition: op<Parameters<EcsService['deregisterTaskDefinition']>[0]>(
        model.DeregisterTaskDefinition$,
        (i) => ecs.deregisterTaskDefinition(i),
      ),
      DeleteTaskDefinitions: op<Parameters<EcsService['deleteTaskDefinitions']>[0]>(
        model.DeleteTaskDefinitions$,
        (i) => ecs.deleteTaskDefinitions(i),
      ),
      ListTaskDefinitions: op<Parameters<EcsService['listTaskDefinitions']>[0]>(
        model.ListTaskDefinitions$,
        (i) => ecs.listTaskDefinitions(i),
      ),
      ListTaskDefinitionFamilies: op<Parameters<EcsService['listTaskDefinitionFamilies']>[0]>(
        model.ListTaskDefinitionFamilies$,
        (i) => ecs.listTaskDefinitionFamilies(i),
      ),
      RunTask: op<Parameters<EcsService['runTask']>[0]>(model.RunTask$, (i) => ecs.runTask(i)),
      DescribeTasks: op<Parameters<EcsService['describeTasks']>[0]>(model.DescribeTasks$, (i) =>
        ecs.describeTasks(i),
      ),
      ListTasks: op<Parameters<EcsService['listTasks']>[0]>(model.ListTasks$, (i) =>
        ecs.listTasks(i),
      ),
      StopTask: op<Parameters<EcsService['stopTask']>[0]>(model.StopTask$, (i) => ecs.stopTask(i)),
      TagResource: op<Parameters<EcsService['tagResource']>[0]>(model.TagResource$, (i) =>
        ecs.tagResource(i),
      ),
      UntagResource: op<Parameters<EcsService['untagResource']>[0]>(model.UntagResource$, (i) =>
        ecs.untagResource(i),
      ),
      ListTagsForResource: op<Parameters<EcsService['listTagsForResource']>[0]>(
        model.ListTagsForResource$,
        (i) => ecs.listTagsForResource(i),
      ),
    },
  };
}
