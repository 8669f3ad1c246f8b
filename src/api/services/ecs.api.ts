/**
 * ECS on the wire (awsJson1.1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`).
 * The ECS service speaks wire shapes with millisecond timestamps; ECS's JSON protocol sends
 * timestamps as epoch seconds, so this module converts them on the way out.
 */
import type { EcsService } from '../../ecs/ecs.service.ts';
import type { JsonOperation, JsonServiceModule } from '../api.types.ts';
import { epochSecondsConverter } from '../epoch-seconds.ts';
import type { MemberShapes, Shape } from '../json-shape.check.ts';

const stringList = { list: 'string' } as const;
const tags: Shape = { list: { struct: { key: 'string', value: 'string' } } };
const strategy: Shape = {
  list: { struct: { capacityProvider: 'string', weight: 'integer', base: 'integer' } },
};
const keyValues: Shape = { list: { struct: { name: 'string', value: 'string' } } };

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

function op<I>(input: MemberShapes, call: (input: I) => Promise<unknown>): JsonOperation {
  return { input, handler: async (body) => toEpochSeconds(await call(body as I)) };
}

const networkConfiguration: Shape = {
  struct: {
    awsvpcConfiguration: {
      struct: { subnets: stringList, securityGroups: stringList, assignPublicIp: 'string' },
    },
  },
};

const taskOverride: Shape = {
  struct: {
    containerOverrides: {
      list: {
        struct: {
          name: 'string',
          command: stringList,
          environment: keyValues,
          cpu: 'integer',
          memory: 'integer',
          memoryReservation: 'integer',
        },
      },
    },
    cpu: 'string',
    memory: 'string',
    taskRoleArn: 'string',
    executionRoleArn: 'string',
  },
};

/** The ECS module for `createApiServer`. */
export function ecsApi(ecs: EcsService): JsonServiceModule {
  return {
    protocol: 'awsJson1.1',
    signingName: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    errorMessageKey: 'message',
    internalErrorCode: 'ServerException',
    operations: {
      CreateCluster: op<Parameters<EcsService['createCluster']>[0]>(
        {
          clusterName: 'string',
          tags,
          settings: keyValues,
          capacityProviders: stringList,
          defaultCapacityProviderStrategy: strategy,
        },
        (i) => ecs.createCluster(i),
      ),
      DescribeClusters: op<Parameters<EcsService['describeClusters']>[0]>(
        { clusters: stringList, include: stringList },
        (i) => ecs.describeClusters(i),
      ),
      ListClusters: op<Parameters<EcsService['listClusters']>[0]>(
        { nextToken: 'string', maxResults: 'integer' },
        (i) => ecs.listClusters(i),
      ),
      DeleteCluster: op<Parameters<EcsService['deleteCluster']>[0]>({ cluster: 'string' }, (i) =>
        ecs.deleteCluster(i),
      ),
      UpdateClusterSettings: op<Parameters<EcsService['updateClusterSettings']>[0]>(
        { cluster: 'string', settings: keyValues },
        (i) => ecs.updateClusterSettings(i),
      ),
      PutClusterCapacityProviders: op<Parameters<EcsService['putClusterCapacityProviders']>[0]>(
        {
          cluster: 'string',
          capacityProviders: stringList,
          defaultCapacityProviderStrategy: strategy,
        },
        (i) => ecs.putClusterCapacityProviders(i),
      ),
      RegisterTaskDefinition: op<Parameters<EcsService['registerTaskDefinition']>[0]>(
        {
          family: 'string',
          taskRoleArn: 'string',
          executionRoleArn: 'string',
          networkMode: 'string',
          containerDefinitions: { list: { struct: { name: 'string', image: 'string' } } },
          requiresCompatibilities: stringList,
          cpu: 'string',
          memory: 'string',
          tags,
        },
        (i) => ecs.registerTaskDefinition(i),
      ),
      DescribeTaskDefinition: op<Parameters<EcsService['describeTaskDefinition']>[0]>(
        { taskDefinition: 'string', include: stringList },
        (i) => ecs.describeTaskDefinition(i),
      ),
      DeregisterTaskDefinition: op<Parameters<EcsService['deregisterTaskDefinition']>[0]>(
        { taskDefinition: 'string' },
        (i) => ecs.deregisterTaskDefinition(i),
      ),
      DeleteTaskDefinitions: op<Parameters<EcsService['deleteTaskDefinitions']>[0]>(
        { taskDefinitions: stringList },
        (i) => ecs.deleteTaskDefinitions(i),
      ),
      ListTaskDefinitions: op<Parameters<EcsService['listTaskDefinitions']>[0]>(
        {
          familyPrefix: 'string',
          status: 'string',
          sort: 'string',
          nextToken: 'string',
          maxResults: 'integer',
        },
        (i) => ecs.listTaskDefinitions(i),
      ),
      ListTaskDefinitionFamilies: op<Parameters<EcsService['listTaskDefinitionFamilies']>[0]>(
        { familyPrefix: 'string', status: 'string', nextToken: 'string', maxResults: 'integer' },
        (i) => ecs.listTaskDefinitionFamilies(i),
      ),
      RunTask: op<Parameters<EcsService['runTask']>[0]>(
        {
          cluster: 'string',
          taskDefinition: 'string',
          count: 'integer',
          launchType: 'string',
          capacityProviderStrategy: strategy,
          networkConfiguration,
          overrides: taskOverride,
          platformVersion: 'string',
          group: 'string',
          startedBy: 'string',
          tags,
          propagateTags: 'string',
          enableECSManagedTags: 'boolean',
          enableExecuteCommand: 'boolean',
          referenceId: 'string',
          clientToken: 'string',
        },
        (i) => ecs.runTask(i),
      ),
      DescribeTasks: op<Parameters<EcsService['describeTasks']>[0]>(
        { cluster: 'string', tasks: stringList, include: stringList },
        (i) => ecs.describeTasks(i),
      ),
      ListTasks: op<Parameters<EcsService['listTasks']>[0]>(
        {
          cluster: 'string',
          family: 'string',
          startedBy: 'string',
          desiredStatus: 'string',
          launchType: 'string',
          serviceName: 'string',
          containerInstance: 'string',
          nextToken: 'string',
          maxResults: 'integer',
        },
        (i) => ecs.listTasks(i),
      ),
      StopTask: op<Parameters<EcsService['stopTask']>[0]>(
        { cluster: 'string', task: 'string', reason: 'string' },
        (i) => ecs.stopTask(i),
      ),
      TagResource: op<Parameters<EcsService['tagResource']>[0]>(
        { resourceArn: 'string', tags },
        (i) => ecs.tagResource(i),
      ),
      UntagResource: op<Parameters<EcsService['untagResource']>[0]>(
        { resourceArn: 'string', tagKeys: stringList },
        (i) => ecs.untagResource(i),
      ),
      ListTagsForResource: op<Parameters<EcsService['listTagsForResource']>[0]>(
        { resourceArn: 'string' },
        (i) => ecs.listTagsForResource(i),
      ),
    },
  };
}
