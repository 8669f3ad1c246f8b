import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ServiceError } from '../platform/errors.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import type { IpPermission } from './ec2.types.ts';
import {
  describeRule,
  newRule,
  normalizeProtocol,
  rulesOf,
  sameRule,
  toIpPermissions,
} from './security-group-rules.ts';

const GROUP = { groupId: 'sg-0123456789abcdef0', ownerId: '000000000000' };

function perm(p: Partial<IpPermission> & { ipProtocol: string }): IpPermission {
  return { ipRanges: [], ipv6Ranges: [], groups: [], prefixListIds: [], ...p };
}

describe('security group rules', () => {
  it('names tcp, udp and icmp by name and keeps other protocols as numbers', () => {
    assert.deepEqual(['6', 'TCP', '17', '1', 'all', '-1', '50'].map(normalizeProtocol), [
      'tcp',
      'tcp',
      'udp',
      'icmp',
      '-1',
      '-1',
      '50',
    ]);
  });

  it('makes one rule per peer, with ports -1 for all protocols', () => {
    const bodies = rulesOf(
      [
        perm({
          ipProtocol: '-1',
          fromPort: 0,
          toPort: 0,
          ipRanges: [{ cidrIp: '0.0.0.0/0' }],
          groups: [{ groupId: GROUP.groupId }],
        }),
      ],
      GROUP,
      false,
    );
    assert.deepEqual(
      bodies.map((b) => [b.fromPort, b.toPort, b.cidrIpv4, b.referencedGroupInfo?.userId]),
      [
        [-1, -1, '0.0.0.0/0', undefined],
        [-1, -1, undefined, GROUP.ownerId],
      ],
    );
    assert.equal(describeRule(bodies[0]!), 'peer: 0.0.0.0/0, ALL, ALLOW');
  });

  it('refuses tcp without ports, reversed ports, bad CIDRs and permissions without a peer', () => {
    for (const p of [
      perm({ ipProtocol: 'tcp', ipRanges: [{ cidrIp: '0.0.0.0/0' }] }),
      perm({ ipProtocol: 'tcp', fromPort: 90, toPort: 80, ipRanges: [{ cidrIp: '0.0.0.0/0' }] }),
      perm({ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '10.0.0.1/8' }] }),
      perm({ ipProtocol: 'tcp', fromPort: 80, toPort: 80 }),
      perm({ ipProtocol: 'bogus', ipRanges: [{ cidrIp: '0.0.0.0/0' }] }),
    ]) {
      assert.throws(
        () => rulesOf([p], GROUP, false),
        (e: unknown) => e instanceof ServiceError && e.code === 'InvalidParameterValue',
      );
    }
  });

  it('matches rules without their descriptions and groups them back by protocol and ports', () => {
    const [a, b, c] = rulesOf(
      [
        perm({
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          ipRanges: [{ cidrIp: '10.0.0.0/8', description: 'inside' }, { cidrIp: '0.0.0.0/0' }],
        }),
        perm({ ipProtocol: '6', fromPort: 443, toPort: 443, ipv6Ranges: [{ cidrIpv6: '::/0' }] }),
      ],
      GROUP,
      false,
    );
    assert.ok(a && b && c);
    const [again] = rulesOf(
      [
        perm({
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          ipRanges: [{ cidrIp: '10.0.0.0/8' }],
        }),
      ],
      GROUP,
      false,
    );
    assert.ok(again && sameRule(a, again));
    assert.ok(!sameRule(a, b));
    assert.ok(!sameRule(a, { ...again, isEgress: true }));
    const stored = [a, b, c].map((x) => newRule(DEFAULT_CONTEXT, x));
    assert.match(stored[0]?.securityGroupRuleArn ?? '', /:security-group-rule\/sgr-[0-9a-f]{17}$/);
    assert.deepEqual(toIpPermissions(stored, false), [
      {
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        ipRanges: [{ cidrIp: '10.0.0.0/8', description: 'inside' }, { cidrIp: '0.0.0.0/0' }],
        ipv6Ranges: [{ cidrIpv6: '::/0' }],
        groups: [],
        prefixListIds: [],
      },
    ]);
    assert.deepEqual(toIpPermissions(stored, true), []);
  });
});
