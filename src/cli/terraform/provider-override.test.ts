/** The override file: valid HCL as Terraform's own parser reads it, one block per alias. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { parse } from '@cdktf/hcl2json';

import { awsProviderAliases } from './provider-aliases.ts';
import { hclString, OVERRIDE_MARKER, providerOverride } from './provider-override.ts';

type Block = Record<string, unknown> & { endpoints?: Record<string, string>[] };

async function providerBlocks(text: string): Promise<Block[]> {
  const doc = (await parse('override.tf', text)) as { provider: { aws: Block[] } };
  return doc.provider.aws;
}

describe('providerOverride', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'se"cr${et}' };

  it('points every served service at the endpoint, with the keys and no metadata service', async () => {
    const text = providerOverride({ endpoint: 'http://127.0.0.1:4566', credentials });
    assert.ok(text.startsWith(OVERRIDE_MARKER));
    const [block, ...more] = await providerBlocks(text);
    assert.equal(more.length, 0);
    assert.deepEqual(block?.endpoints?.[0], {
      ec2: 'http://127.0.0.1:4566',
      ecs: 'http://127.0.0.1:4566',
      events: 'http://127.0.0.1:4566',
      iam: 'http://127.0.0.1:4566',
      logs: 'http://127.0.0.1:4566',
      sts: 'http://127.0.0.1:4566',
    });
    assert.equal(block?.['access_key'], 'AKIDEXAMPLE');
    // hcl2json returns the literal as written: `$${` is HCL's escape for a literal `${`, so the
    // secret is never read as an interpolation.
    assert.equal(block?.['secret_key'], 'se"cr$${et}');
    assert.equal(block?.['skip_metadata_api_check'], true);
    assert.equal(block?.['alias'], undefined);
  });

  it('writes one block per alias besides the default one', async () => {
    const text = providerOverride({
      endpoint: 'http://[::1]:4566',
      credentials,
      aliases: ['tokyo', 'virginia', 'tokyo'],
    });
    const blocks = await providerBlocks(text);
    assert.deepEqual(
      blocks.map((b) => b['alias']),
      [undefined, 'tokyo', 'virginia'],
    );
    for (const b of blocks) assert.equal(b.endpoints?.[0]?.['ecs'], 'http://[::1]:4566');
  });

  it('escapes quotes, backslashes and template sequences', () => {
    assert.equal(hclString('a"b\\c${d}%{e}'), '"a\\"b\\\\c$${d}%%{e}"');
  });
});

describe('awsProviderAliases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cronbridge-tf-aliases-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads aliases from .tf (HCL) and .tf.json files, ignoring override files', async () => {
    writeFileSync(
      join(dir, 'providers.tf'),
      [
        'provider "aws" {',
        '  region = "ap-northeast-1"',
        '}',
        '# provider "aws" { alias = "commented" }',
        'provider "aws" {',
        '  alias  = "virginia"',
        '  region = "us-east-1"',
        '  default_tags {',
        '    tags = { alias = "not-a-provider-alias" }',
        '  }',
        '}',
        'provider "google" {',
        '  alias = "other-cloud"',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'more.tf.json'),
      JSON.stringify({ provider: { aws: [{ alias: 'osaka', region: 'ap-northeast-3' }] } }),
    );
    writeFileSync(
      join(dir, 'cronbridge_override.tf'),
      'provider "aws" {\n  alias = "from-override"\n}\n',
    );
    assert.deepEqual(await awsProviderAliases(dir), ['osaka', 'virginia']);
  });
});
