/**
 * The ENI attachment of an awsvpc task (issue 13 item 3): its subnet, id and MAC from RunTask,
 * and its private address only as the container engine reports the container's, never made up.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  type EcsFixture,
  TOKYO,
  ecsFixture,
  fargateDefinition,
  network,
} from './ecs.test-support.ts';

describe('ENI attachment', () => {
  let f: EcsFixture;
  let taskArn: string;
  const describeTask = async () =>
    (await f.ecs.describeTasks(TOKYO, { tasks: [taskArn] })).tasks[0]!;

  beforeEach(async () => {
    f = await ecsFixture();
    await f.ecs.createCluster(TOKYO);
    await f.ecs.registerTaskDefinition(
      TOKYO,
      fargateDefinition({
        containerDefinitions: [
          { name: 'app', image: 'busybox:latest' },
          { name: 'side', image: 'busybox:latest', essential: false },
        ],
      }),
    );
    const { tasks } = await f.ecs.runTask(TOKYO, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    taskArn = tasks[0]!.taskArn;
  });
  afterEach(() => f.store.close());

  it('has no address until the engine reports one', async () => {
    const task = await describeTask();
    const eni = task.attachments[0];
    assert.equal(eni?.type, 'ElasticNetworkInterface');
    assert.deepEqual(
      eni?.details.map((d) => d.name),
      ['subnetId', 'networkInterfaceId', 'macAddress'],
    );
    assert.deepEqual(
      task.containers.map((c) => c.networkInterfaces),
      [[{ attachmentId: eni?.id }], [{ attachmentId: eni?.id }]],
    );
    // A container that runs without an address (network mode none) adds none.
    await f.ecs.tasks.updateContainerState(taskArn, 'app', { lastStatus: 'RUNNING' });
    assert.equal((await describeTask()).attachments[0]?.details.length, 3);
  });

  it('shows the container’s real address and the private DNS name of the region', async () => {
    await f.ecs.tasks.updateContainerState(taskArn, 'app', {
      lastStatus: 'RUNNING',
      privateIpv4Address: '172.18.0.7',
    });
    // The task's interface keeps its first address; each container reports its own.
    await f.ecs.tasks.updateContainerState(taskArn, 'side', {
      lastStatus: 'RUNNING',
      privateIpv4Address: '172.18.0.8',
    });
    const task = await describeTask();
    const details = Object.fromEntries(
      (task.attachments[0]?.details ?? []).map((d) => [d.name, d.value]),
    );
    assert.equal(details['privateIPv4Address'], '172.18.0.7');
    assert.equal(details['privateDnsName'], 'ip-172-18-0-7.ap-northeast-1.compute.internal');
    assert.equal(details['subnetId'], 'subnet-1');
    assert.deepEqual(
      task.containers.map((c) => c.networkInterfaces[0]?.privateIpv4Address),
      ['172.18.0.7', '172.18.0.8'],
    );
  });
});
