/**
 * Debian's AWS CLI v2 (/usr/bin/aws) against the EC2 module on a loopback port: create-vpc,
 * a security group rule authorized and described, and EC2's error envelope as the CLI received it. Needs no Docker; skips with a message when
 * the CLI is missing, unless RUN_INTEGRATION_TESTS=1 demands it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { apiFixture, type ApiFixture } from '../../src/api/api.test-support.ts';
import { ec2Api } from '../../src/api/services/ec2.api.ts';
import { Ec2Service } from '../../src/ec2/ec2.service.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';

const AWS = '/usr/bin/aws';
const run = promisify(execFile);

function gate(): string | false {
  if (existsSync(AWS)) return false;
  if (process.env.RUN_INTEGRATION_TESTS === '1') {
    throw new Error(`${AWS} is missing, and RUN_INTEGRATION_TESTS=1 requires the AWS CLI v2`);
  }
  return `${AWS} (AWS CLI v2) is not installed; skipping the CLI tests`;
}

const skip = gate();
if (skip) console.log(`# ${skip}`);

describe('AWS CLI v2 against the EC2 module', { skip }, () => {
  let fx: ApiFixture;
  let store: Store;
  let endpoint = '';

  /** Runs the CLI in ap-northeast-1 with an isolated environment. */
  async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'ap-northeast-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    try {
      const { stdout, stderr } = await run(
        AWS,
        ['--endpoint-url', endpoint, '--output', 'json', ...args],
        { env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  before(async () => {
    store = await openStore({ dataDir: ':memory:' });
    const ec2 = new Ec2Service({ store, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    fx = await apiFixture({ extra: [ec2Api(ec2)] });
    endpoint = (await fx.server.start({ host: '127.0.0.1', port: 0 })).url;
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
    await store.close();
  });

  it('creates a VPC in the signing region and reports EC2 errors by code', async () => {
    const created = await aws('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16');
    assert.equal(created.code, 0, created.stderr);
    const vpc = (JSON.parse(created.stdout) as { Vpc: { VpcId: string; CidrBlock: string } }).Vpc;
    assert.match(vpc.VpcId, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.CidrBlock, '10.0.0.0/16');

    const missing = await aws('ec2', 'delete-vpc', '--vpc-id', 'vpc-00000000000000000');
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /\(InvalidVpcID\.NotFound\) when calling the DeleteVpc operation: The vpc ID 'vpc-00000000000000000' does not exist/,
    );
  });

  it("authorizes a rule, describes it, and gets a duplicate in EC2's error envelope", async () => {
    const vpc = await aws('ec2', 'create-vpc', '--cidr-block', '10.1.0.0/16');
    assert.equal(vpc.code, 0, vpc.stderr);
    const vpcId = (JSON.parse(vpc.stdout) as { Vpc: { VpcId: string } }).Vpc.VpcId;
    const sg = await aws(
      'ec2',
      'create-security-group',
      '--group-name',
      'tasks',
      '--description',
      'tasks',
      '--vpc-id',
      vpcId,
    );
    assert.equal(sg.code, 0, sg.stderr);
    const groupId = (JSON.parse(sg.stdout) as { GroupId: string }).GroupId;
    const rule = [
      '--group-id',
      groupId,
      '--protocol',
      'tcp',
      '--port',
      '443',
      '--cidr',
      '10.1.0.0/16',
    ];
    const added = await aws('ec2', 'authorize-security-group-ingress', ...rule);
    assert.equal(added.code, 0, added.stderr);
    const out = JSON.parse(added.stdout) as {
      Return: boolean;
      SecurityGroupRules: { SecurityGroupRuleId: string }[];
    };
    assert.equal(out.Return, true);
    const ruleId = out.SecurityGroupRules[0]?.SecurityGroupRuleId ?? '';
    assert.match(ruleId, /^sgr-[0-9a-f]{17}$/);

    const described = await aws(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${groupId}`,
    );
    assert.equal(described.code, 0, described.stderr);
    const rules = (
      JSON.parse(described.stdout) as {
        SecurityGroupRules: {
          SecurityGroupRuleId: string;
          IsEgress: boolean;
          IpProtocol: string;
          FromPort: number;
          CidrIpv4?: string;
        }[];
      }
    ).SecurityGroupRules;
    assert.deepEqual(rules.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.CidrIpv4]).sort(), [
      [false, 'tcp', 443, '10.1.0.0/16'],
      [true, '-1', -1, '0.0.0.0/0'],
    ]);
    assert.ok(rules.some((r) => r.SecurityGroupRuleId === ruleId));

    // --debug prints the body the CLI received: EC2's envelope, not the query protocol's.
    const again = await aws('--debug', 'ec2', 'authorize-security-group-ingress', ...rule);
    assert.notEqual(again.code, 0);
    assert.match(
      again.stderr,
      /\(InvalidPermission\.Duplicate\) when calling the AuthorizeSecurityGroupIngress operation: the specified rule "peer: 10\.1\.0\.0\/16, TCP, from port: 443, to port: 443, ALLOW" already exists/,
    );
    assert.match(
      again.stderr,
      /<Response><Errors><Error><Code>InvalidPermission\.Duplicate<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>/,
    );
  });
});
