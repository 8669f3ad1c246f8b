/**
 * The README's supported-operations table must match the service modules the server registers.
 * The expected text comes from the same generator `npm run docs:ops` runs, on the same engine
 * module list (`engineApiServices`), so adding an operation without regenerating fails here.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import {
  END_MARKER,
  engineOperationsMarkdown,
  README_PATH,
  readmeSection,
  regenerateReadme,
  START_MARKER,
} from '../../scripts/gen-readme-ops.ts';

describe('README supported operations', () => {
  it('matches the operations the engine API registers (else: run npm run docs:ops)', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    const expected = readmeSection(await regenerateReadme(readme));
    assert.equal(
      readmeSection(readme),
      expected,
      'README.md supported-operations table is stale: run npm run docs:ops',
    );
  });

  it('lists operations of every engine service, one row each', async () => {
    const table = await engineOperationsMarkdown();
    // Guards the generator itself: an empty module list would make the comparison above vacuous.
    for (const row of ['`ecs`', '`logs`', '`sts`']) assert.match(table, new RegExp(row));
    assert.match(table, /DescribeTasks/);
    assert.match(table, /PutLogEvents/);
    assert.match(table, /GetCallerIdentity/);
  });

  it('detects a stale section and rewrites only the marked part', async () => {
    const readme = `# title\n\nbefore\n\n${START_MARKER}\n\n| stale |\n\n${END_MARKER}\n\nafter\n`;
    const fresh = await regenerateReadme(readme);
    assert.notEqual(fresh, readme);
    assert.ok(fresh.startsWith(`# title\n\nbefore\n\n${START_MARKER}\n`));
    assert.ok(fresh.endsWith(`${END_MARKER}\n\nafter\n`));
    assert.doesNotMatch(readmeSection(fresh), /stale/);
    assert.match(readmeSection(fresh), /DescribeTasks/);
    // Regenerating a fresh README is a no-op, so the script and `npm run format` agree.
    assert.equal(await regenerateReadme(fresh), fresh);
  });

  it('refuses a README without the markers', () => {
    assert.throws(() => readmeSection('# no markers\n'), /supported-operations:start/);
  });
});
