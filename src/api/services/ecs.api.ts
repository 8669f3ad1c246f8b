/**
 * ECS on the wire (awsJson1.1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`).
 * The ECS service speaks wire shapes with millisecond timestamps; ECS's JSON protocol sends
 * timestamps as epoch seconds, so this module converts them on the way out.
 */
import * as model from '@aws-sdk/client-ecs';

import type { EcsService } from '../../ecs/ecs.service.ts';
import type { AwsContext } from '../../platform/ids.ts';
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
 * numeric kinds are named. The call runs in the request's context: the region of its SigV4
 * scope.
 */
function op<I>(
  schema: unknown,
  call: (ctx: AwsContext, input: I) => Promise<unknown>,
): JsonOperation {
  return {
    input: operationInput(schema),
    handler: async (body, ctx) => toEpochSeconds(await call(ctx.aws, body as I)),
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
      CreateCluster: op<Parameters<EcsService['createCluster']>[1]>(
        model.CreateCluster$,
        (ctx, i) => ecs.createCluster(ctx, i),
      ),
      DescribeClusters: op<Parameters<EcsService['describeClusters']>[1]>(
        model.DescribeClusters$,
        (ctx, i) => ecs.describeClusters(ctx, i),
      ),
      ListClusters: op<Parameters<EcsService['listClusters']>[1]>(model.ListClusters$, (ctx, i) =>
        ecs.listClusters(ctx, i),
      ),
      DeleteCluster: op<Parameters<EcsService['deleteCluster']>[1]>(
        model.DeleteCluster$,
        (ctx, i) => ecs.deleteCluster(ctx, i),
      ),
      UpdateCluster: op<Parameters<EcsService['updateCluster']>[1]>(
        model.UpdateCluster$,
        (ctx, i) => ecs.updateCluster(ctx, i),
      ),
      UpdateClusterSettings: op<Parameters<EcsService['updateClusterSettings']>[1]>(
        model.UpdateClusterSettings$,
        (ctx, i) => ecs.updateClusterSettings(ctx, i),
      ),
      PutClusterCapacityProviders: op<Parameters<EcsService['putClusterCapacityProviders']>[1]>(
        model.PutClusterCapacityProviders$,
        (ctx, i) => ecs.putClusterCapacityProviders(ctx, i),
      ),
      RegisterTaskDefinition: op<Parameters<EcsService['registerTaskDefinition']>[1]>(
        model.RegisterTaskDefinition$,
        (ctx, i) => ecs.registerTaskDefinition(ctx, i),
      ),
      DescribeTaskDefinition: op<Parameters<EcsService['describeTaskDefinition']>[1]>(
        model.DescribeTaskDefinition$,
        (ctx, i) => ecs.describeTaskDefinition(ctx, i),
      ),
      DeregisterTaskDefinition: op<Parameters<EcsService['deregisterTaskDefinition']>[1]>(
        model.DeregisterTaskDefinition$,
        (ctx, i) => ecs.deregisterTaskDefinition(ctx, i),
      ),
      DeleteTaskDefinitions: op<Parameters<EcsService['deleteTaskDefinitions']>[1]>(
        model.DeleteTaskDefinitions$,
        (ctx, i) => ecs.deleteTaskDefinitions(ctx, i),
      ),
      ListTaskDefinitions: op<Parameters<EcsService['listTaskDefinitions']>[1]>(
        model.ListTaskDefinitions$,
        (ctx, i) => ecs.listTaskDefinitions(ctx, i),
      ),
      ListTaskDefinitionFamilies: op<Parameters<EcsService['listTaskDefinitionFamilies']>[1]>(
        model.ListTaskDefinitionFamilies$,
        (ctx, i) => ecs.listTaskDefinitionFamilies(ctx, i),
      ),
      RunTask: op<Parameters<EcsService['runTask']>[1]>(model.RunTask$, (ctx, i) =>
        ecs.runTask(ctx, i),
      ),
      DescribeTasks: op<Parameters<EcsService['describeTasks']>[1]>(
        model.DescribeTasks$,
        (ctx, i) => ecs.describeTasks(ctx, i),
      ),
      ListTasks: op<Parameters<EcsService['listTasks']>[1]>(model.ListTasks$, (ctx, i) =>
        ecs.listTasks(ctx, i),
      ),
      StopTask: op<Parameters<EcsService['stopTask']>[1]>(model.StopTask$, (ctx, i) =>
        ecs.stopTask(ctx, i),
      ),
      TagResource: op<Parameters<EcsService['tagResource']>[1]>(model.TagResource$, (ctx, i) =>
        ecs.tagResource(ctx, i),
      ),
      UntagResource: op<Parameters<EcsService['untagResource']>[1]>(
        model.UntagResource$,
        (ctx, i) => ecs.untagResource(ctx, i),
      ),
      ListTagsForResource: op<Parameters<EcsService['listTagsForResource']>[1]>(
        model.ListTagsForResource$,
        (ctx, i) => ecs.listTagsForResource(ctx, i),
      ),
    },
  };
}
