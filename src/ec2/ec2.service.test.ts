import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import { Ec2Service } from './ec2.service.ts';

const US = DEFAULT_CONTEXT;
const TOKYO = { ...DEFAULT_CONTEXT, region: 'ap-northeast-1' };

async function fixture() {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const ec2 = new Ec2Service({ store, clock });
  return { ec2, clock, [Symbol.asyncDispose]: () => store.close() };
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

describe('Ec2Service', () => {
  it('gives every region a default VPC, three default subnets and a default group', async () => {
    await using f = await fixture();
    for (const scope of [US, TOKYO]) {
      const vpcs = await f.ec2.vpcs.describe(scope, {});
      assert.equal(vpcs.length, 1);
      assert.equal(vpcs[0]?.cidrBlock, '172.31.0.0/16');
      assert.equal(vpcs[0]?.isDefault, true);
      const subnets = await f.ec2.subnets.describe(scope, {});
      assert.deepEqual(
        subnets.map((s) => [s.availabilityZone, s.cidrBlock, s.defaultForAz]).sort(),
        [
          [`${scope.region}a`, '172.31.0.0/20', true],
          [`${scope.region}b`, '172.31.16.0/20', true],
          [`${scope.region}c`, '172.31.32.0/20', true],
        ],
      );
      const groups = await f.ec2.securityGroups.describe(scope, {});
      assert.deepEqual(
        groups.map((g) => g.groupName),
        ['default'],
      );
    }
  });

  it('makes the default VPC again when the first call of a region failed (rolled back with it)', async () => {
    await using f = await fixture();
    await rejectsWith(
      f.ec2.vpcs.describe(TOKYO, { vpcIds: ['vpc-00000000000000000'] }),
      'InvalidVpcID.NotFound',
    );
    const vpcs = await f.ec2.vpcs.describe(TOKYO, {});
    assert.deepEqual(
      vpcs.map((v) => v.isDefault),
      [true],
    );
  });

  it('keeps resources of ap-northeast-1 invisible from us-east-1', async () => {
    await using f = await fixture();
    const vpc = await f.ec2.vpcs.create(TOKYO, { cidrBlock: '10.0.0.0/16' });
    await rejectsWith(
      f.ec2.vpcs.describe(US, { vpcIds: [vpc.vpcId] }),
      'InvalidVpcID.NotFound',
      `The vpc ID '${vpc.vpcId}' does not exist`,
    );
    await rejectsWith(
      f.ec2.subnets.create(US, { vpcId: vpc.vpcId, cidrBlock: '10.0.0.0/24' }),
      'InvalidVpcID.NotFound',
    );
    const subnet = await f.ec2.subnets.create(TOKYO, {
      vpcId: vpc.vpcId,
      cidrBlock: '10.0.0.0/24',
      availabilityZone: 'ap-northeast-1c',
    });
    assert.match(
      subnet.subnetArn,
      /^arn:aws:ec2:ap-northeast-1:000000000000:subnet\/subnet-[0-9a-f]{17}$/,
    );
    await rejectsWith(
      f.ec2.subnets.create(TOKYO, {
        vpcId: vpc.vpcId,
        cidrBlock: '10.0.1.0/24',
        availabilityZone: 'us-east-1a',
      }),
      'InvalidParameterValue',
    );
  });

  it('creates a VPC with its main route table, default ACL and default group, and deletes them with it', async () => {
    await using f = await fixture();
    const vpc = await f.ec2.vpcs.create(US, {
      cidrBlock: '10.0.0.0/16',
      tagSpecifications: [{ resourceType: 'vpc', tags: [{ key: 'Name', value: 'main' }] }],
    });
    assert.match(vpc.vpcId, /^vpc-[0-9a-f]{17}$/);
    const groups = await f.ec2.securityGroups.describe(US, {
      filters: [{ name: 'vpc-id', values: [vpc.vpcId] }],
    });
    assert.equal(groups[0]?.groupName, 'default');
    assert.equal(groups[0]?.ipPermissions[0]?.groups[0]?.groupId, groups[0]?.groupId);
    assert.deepEqual(
      (await f.ec2.vpcs.describe(US, { filters: [{ name: 'tag-key', values: ['Name'] }] })).map(
        (v) => v.vpcId,
      ),
      [vpc.vpcId],
    );
    await rejectsWith(f.ec2.securityGroups.delete(US, groups[0]?.groupId), 'CannotDelete');
    await f.ec2.vpcs.delete(US, vpc.vpcId);
    await rejectsWith(
      f.ec2.securityGroups.describe(US, { groupIds: [groups[0]?.groupId ?? ''] }),
      'InvalidGroup.NotFound',
    );
  });

  it('checks VPC and subnet blocks', async () => {
    await using f = await fixture();
    await rejectsWith(
      f.ec2.vpcs.create(US, { cidrBlock: '10.0.0.1/16' }),
      'InvalidParameterValue',
      'Value (10.0.0.1/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    );
    await rejectsWith(
      f.ec2.vpcs.create(US, { cidrBlock: '10.0.0.0/8' }),
      'InvalidVpcRange',
      "The CIDR '10.0.0.0/8' is invalid.",
    );
    const vpc = await f.ec2.vpcs.create(US, { cidrBlock: '10.0.0.0/16' });
    await f.ec2.subnets.create(US, { vpcId: vpc.vpcId, cidrBlock: '10.0.0.0/24' });
    await rejectsWith(
      f.ec2.subnets.create(US, { vpcId: vpc.vpcId, cidrBlock: '10.0.0.0/25' }),
      'InvalidSubnet.Conflict',
      "The CIDR '10.0.0.0/25' conflicts with another subnet",
    );
    await rejectsWith(
      f.ec2.subnets.create(US, { vpcId: vpc.vpcId, cidrBlock: '10.1.0.0/24' }),
      'InvalidSubnet.Range',
    );
    await rejectsWith(
      f.ec2.vpcs.delete(US, vpc.vpcId),
      'DependencyViolation',
      `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`,
    );
  });

  it('reads and sets the DNS attributes and MapPublicIpOnLaunch', async () => {
    await using f = await fixture();
    const vpc = await f.ec2.vpcs.create(US, { cidrBlock: '10.0.0.0/16' });
    assert.equal(
      (await f.ec2.vpcs.describeAttribute(US, vpc.vpcId, 'enableDnsSupport')).value,
      true,
    );
    assert.equal(
      (await f.ec2.vpcs.describeAttribute(US, vpc.vpcId, 'enableDnsHostnames')).value,
      false,
    );
    assert.equal(
      (await f.ec2.vpcs.describeAttribute(US, vpc.vpcId, 'enableNetworkAddressUsageMetrics')).value,
      false,
    );
    await f.ec2.vpcs.modifyAttribute(US, {
      vpcId: vpc.vpcId,
      enableNetworkAddressUsageMetrics: true,
    });
    assert.equal(
      (await f.ec2.vpcs.describeAttribute(US, vpc.vpcId, 'enableNetworkAddressUsageMetrics')).value,
      true,
    );
    await f.ec2.vpcs.modifyAttribute(US, { vpcId: vpc.vpcId, enableDnsHostnames: true });
    assert.equal(
      (await f.ec2.vpcs.describeAttribute(US, vpc.vpcId, 'enableDnsHostnames')).value,
      true,
    );
    const subnet = await f.ec2.subnets.create(US, { vpcId: vpc.vpcId, cidrBlock: '10.0.0.0/24' });
    assert.equal(subnet.mapPublicIpOnLaunch, false);
    await f.ec2.subnets.modifyAttribute(US, {
      subnetId: subnet.subnetId,
      mapPublicIpOnLaunch: true,
    });
    const [read] = await f.ec2.subnets.describe(US, { subnetIds: [subnet.subnetId] });
    assert.equal(read?.mapPublicIpOnLaunch, true);
  });

  it('adds, replaces and removes tags; rules can be authorized once and revoked', async () => {
    await using f = await fixture();
    const vpc = await f.ec2.vpcs.create(US, { cidrBlock: '10.0.0.0/16' });
    await f.ec2.tags.create(
      US,
      [vpc.vpcId],
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    );
    await f.ec2.tags.create(US, [vpc.vpcId], [{ key: 'a', value: '3' }]);
    await f.ec2.tags.delete(US, [vpc.vpcId], [{ key: 'b', value: 'other' }]);
    let [read] = await f.ec2.vpcs.describe(US, { vpcIds: [vpc.vpcId] });
    assert.deepEqual(read?.tagSet, [
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
    await f.ec2.tags.delete(US, [vpc.vpcId], [{ key: 'b' }]);
    [read] = await f.ec2.vpcs.describe(US, { vpcIds: [vpc.vpcId] });
    assert.deepEqual(read?.tagSet, [{ key: 'a', value: '3' }]);
    await rejectsWith(
      f.ec2.tags.create(US, ['subnet-00000000000000000'], [{ key: 'a', value: '' }]),
      'InvalidSubnetID.NotFound',
    );

    const sg = await f.ec2.securityGroups.create(US, {
      groupName: 'web',
      description: 'web',
      vpcId: vpc.vpcId,
    });
    const rule = {
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      ipRanges: [{ cidrIp: '0.0.0.0/0' }],
      groups: [],
      ipv6Ranges: [],
      prefixListIds: [],
    };
    await f.ec2.securityGroupRules.authorize(US, {
      groupId: sg.groupId,
      direction: 'ingress',
      permissions: [rule],
    });
    await rejectsWith(
      f.ec2.securityGroupRules.authorize(US, {
        groupId: sg.groupId,
        direction: 'ingress',
        permissions: [rule],
      }),
      'InvalidPermission.Duplicate',
    );
    await f.ec2.securityGroupRules.revoke(US, {
      groupId: sg.groupId,
      direction: 'ingress',
      permissions: [rule],
    });
    await rejectsWith(
      f.ec2.securityGroupRules.revoke(US, {
        groupId: sg.groupId,
        direction: 'ingress',
        permissions: [rule],
      }),
      'InvalidPermission.NotFound',
    );
    await f.ec2.securityGroupRules.revoke(US, {
      groupId: sg.groupId,
      direction: 'egress',
      permissions: [
        {
          ipProtocol: '-1',
          ipRanges: [{ cidrIp: '0.0.0.0/0' }],
          groups: [],
          ipv6Ranges: [],
          prefixListIds: [],
        },
      ],
    });
    const [after] = await f.ec2.securityGroups.describe(US, { groupIds: [sg.groupId] });
    assert.deepEqual(after?.ipPermissionsEgress, []);
  });
});

describe('Ec2Service rules in the default VPC', () => {
  it('reports a revoked rule that does not exist back as unknown instead of failing', async () => {
    await using f = await fixture();
    const sg = await f.ec2.securityGroups.create(US, { groupName: 'web', description: 'web' });
    const missing = {
      ipProtocol: 'udp',
      fromPort: 53,
      toPort: 53,
      ipRanges: [{ cidrIp: '0.0.0.0/0' }],
      groups: [],
      ipv6Ranges: [],
      prefixListIds: [],
    };
    const out = await f.ec2.securityGroupRules.revoke(US, {
      groupName: 'web',
      direction: 'ingress',
      permissions: [missing],
    });
    assert.deepEqual(out.revoked, []);
    assert.deepEqual(out.unknown, [missing]);
    const [read] = await f.ec2.securityGroups.describe(US, { groupIds: [sg.groupId] });
    assert.equal(read?.ipPermissionsEgress.length, 1);
  });
});

describe('Ec2Service tags on security group rules', () => {
  it('tags a rule by its sgr- id, lists it in DescribeTags, and untags it', async () => {
    await using f = await fixture();
    const vpc = await f.ec2.vpcs.create(TOKYO, { cidrBlock: '10.0.0.0/16' });
    const sg = await f.ec2.securityGroups.create(TOKYO, {
      groupName: 'web',
      description: 'web',
      vpcId: vpc.vpcId,
    });
    const [rule] = await f.ec2.securityGroupRules.describe(TOKYO, {
      filters: [{ name: 'group-id', values: [sg.groupId] }],
    });
    const ruleId = rule?.securityGroupRuleId ?? '';
    await f.ec2.tags.create(TOKYO, [ruleId], [{ key: 'Name', value: 'out' }]);
    const [tagged] = await f.ec2.securityGroupRules.describe(TOKYO, { ruleIds: [ruleId] });
    assert.deepEqual(tagged?.tagSet, [{ key: 'Name', value: 'out' }]);
    assert.deepEqual(
      await f.ec2.tags.describe(TOKYO, [{ name: 'resource-id', values: [ruleId] }]),
      [{ resourceId: ruleId, resourceType: 'security-group-rule', key: 'Name', value: 'out' }],
    );
    await f.ec2.tags.delete(TOKYO, [ruleId], [{ key: 'Name' }]);
    const [untagged] = await f.ec2.securityGroupRules.describe(TOKYO, { ruleIds: [ruleId] });
    assert.deepEqual(untagged?.tagSet, []);
    await rejectsWith(
      f.ec2.tags.create(US, [ruleId], [{ key: 'a', value: '' }]),
      'InvalidSecurityGroupRuleId.NotFound',
    );
  });
});
