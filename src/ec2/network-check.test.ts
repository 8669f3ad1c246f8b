import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import { Ec2Service } from './ec2.service.ts';

const US = DEFAULT_CONTEXT;
const TOKYO = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };

describe('Ec2Service.networkCheck', () => {
  it('finds subnets and groups of the caller region only, in the order asked', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    try {
      const ec2 = new Ec2Service({ store, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
      const vpc = await ec2.vpcs.create(TOKYO, { cidrBlock: '10.0.0.0/16' });
      const subnet = await ec2.subnets.create(TOKYO, {
        vpcId: vpc.vpcId,
        cidrBlock: '10.0.1.0/24',
        availabilityZone: 'ap-northeast-1c',
      });
      const sg = await ec2.securityGroups.create(TOKYO, {
        groupName: 'tasks',
        description: 'tasks',
        vpcId: vpc.vpcId,
      });
      const ask = {
        subnets: ['subnet-00000000000000000', subnet.subnetId],
        securityGroups: [sg.groupId],
      };

      const tokyo = await ec2.networkCheck(TOKYO, ask);
      assert.deepEqual(tokyo, {
        missingSubnets: ['subnet-00000000000000000'],
        missingSecurityGroups: [],
        subnets: [
          {
            subnetId: subnet.subnetId,
            vpcId: vpc.vpcId,
            availabilityZone: 'ap-northeast-1c',
            cidrBlock: '10.0.1.0/24',
            mapPublicIpOnLaunch: false,
          },
        ],
        securityGroups: [{ groupId: sg.groupId, vpcId: vpc.vpcId }],
        vpcIds: [vpc.vpcId],
      });

      const us = await ec2.networkCheck(US, ask);
      assert.deepEqual(us.missingSubnets, ask.subnets);
      assert.deepEqual(us.missingSecurityGroups, [sg.groupId]);
      assert.deepEqual(us.vpcIds, []);

      // A default subnet and the new VPC's group: two VPCs, which ECS refuses.
      const [defaultSubnet] = await ec2.subnets.describe(TOKYO, {
        filters: [{ name: 'default-for-az', values: ['true'] }],
      });
      const mixed = await ec2.networkCheck(TOKYO, {
        subnets: [defaultSubnet?.subnetId ?? ''],
        securityGroups: [sg.groupId],
      });
      assert.equal(mixed.vpcIds.length, 2);
    } finally {
      await store.close();
    }
  });
});
