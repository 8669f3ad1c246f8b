/**
 * `cronbridge terraform` with a stand-in terraform (a shell script that prints its arguments and
 * the override it finds): the file is there during the run and gone after, the exit code passes
 * through, `-chdir` is honoured, a user's own override is kept, a missing terraform says so.
 * The real Terraform runs in test/integration/terraform-classic.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { main } from '../main.ts';

const root = mkdtempSync(join(tmpdir(), 'cronbridge-tf-cmd-'));
const fake = join(root, 'fake-terraform');
writeFileSync(
  fake,
  [
    '#!/bin/sh',
    'echo "args: $*"',
    'echo "region: $AWS_REGION"',
    'dir=.; for a in "$@"; do case "$a" in -chdir=*) dir="${a#-chdir=}";; esac; done',
    'cat "$dir/cronbridge_override.tf"',
    'exit "${FAKE_EXIT:-0}"',
    '',
  ].join('\n'),
);
chmodSync(fake, 0o755);

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  // Our own messages arrive through `io`; terraform's (the stand-in's) go to the inherited
  // stdout, so tests that read them have the stand-in copy them into a file.
  const code = await main(['node', 'cronbridge', 'terraform', ...args], {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    clock: new ManualClock(0),
    env: { CRONBRIDGE_ENDPOINT: 'http://127.0.0.1:4599', CRONBRIDGE_TERRAFORM: fake, ...env },
  });
  return { code, stdout, stderr };
}

describe('cronbridge terraform', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('--print-override prints the override for the endpoint, with the local default keys', async () => {
    const { code, stdout } = await run(['--print-override'], {
      AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
      AWS_SECRET_ACCESS_KEY: 'real-secret',
    });
    assert.equal(code, 0);
    assert.match(stdout, /ecs +?= "http:\/\/127\.0\.0\.1:4599"/);
    assert.match(stdout, /access_key = "test"/);
    assert.doesNotMatch(stdout, /real-secret/, 'a printed file may be committed: no real keys');
  });

  it('writes the override for the run only, passes arguments and the exit code through', async () => {
    const dir = join(root, 'config');
    mkdirSync(dir);
    const captured = join(root, 'captured.txt');
    // The stand-in copies what it saw into a file, since it writes to the inherited stdout.
    writeFileSync(join(root, 'wrap.sh'), `#!/bin/sh\n"${fake}" "$@" > "${captured}" 2>&1\n`, {
      mode: 0o755,
    });
    const result = await run(['-chdir=' + dir, 'plan', '-detailed-exitcode'], {
      CRONBRIDGE_TERRAFORM: join(root, 'wrap.sh'),
      FAKE_EXIT: '2',
      AWS_REGION: 'ap-northeast-1',
    });
    assert.equal(result.code, 2, 'plan -detailed-exitcode: 2 means changes, passed through');
    const seen = await readFile(captured, 'utf8');
    assert.match(seen, new RegExp(`args: -chdir=${dir} plan -detailed-exitcode`));
    assert.match(seen, /region: ap-northeast-1/);
    assert.match(seen, /endpoints \{[^}]*iam += "http:\/\/127\.0\.0\.1:4599"/);
    assert.ok(!existsSync(join(dir, 'cronbridge_override.tf')), 'removed after the run');
  });

  it("keeps and uses a user's own cronbridge_override.tf", async () => {
    const dir = join(root, 'kept');
    mkdirSync(dir);
    const mine = '# mine\nprovider "aws" {}\n';
    writeFileSync(join(dir, 'cronbridge_override.tf'), mine);
    const result = await run([`-chdir=${dir}`, 'validate']);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /using it as it is/);
    assert.equal(await readFile(join(dir, 'cronbridge_override.tf'), 'utf8'), mine);
  });

  it('says how to get terraform when it cannot be run', async () => {
    const result = await run(['version'], { CRONBRIDGE_TERRAFORM: join(root, 'no-such-tf') });
    assert.equal(result.code, 127);
    assert.match(
      result.stderr,
      /install Terraform .* or name the executable in CRONBRIDGE_TERRAFORM/,
    );
  });

  it('asks for a subcommand when given none', async () => {
    const result = await run([]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /usage: cronbridge terraform/);
  });
});
