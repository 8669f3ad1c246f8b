/**
 * The lint rules that hold the layout in place fail where they should: a folder importing one
 * above it (scripts/lint/layers.mjs), a domain reaching into firing past its public index, a
 * domain opening a store backend, and an import cycle (the two files in fixtures/ import each
 * other). Run through ESLint's own API with the project's eslint.config.mjs, so a config edit that
 * silently disables a rule fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ESLint } from 'eslint';

const root = new URL('../../', import.meta.url).pathname;

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint: folder directions', () => {
  it('rejects an import from a lower folder into a higher one', async () => {
    const messages = await ruleIdsFor(
      'src/firing/probe.ts',
      "import { TargetInvoker } from '../invoke/index.ts';\nexport const x = TargetInvoker;\n",
    );
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(
      messages[0]!,
      /^no-restricted-imports: .*src\/firing may import only src\/platform/,
    );
  });

  it('allows an import the layering permits', async () => {
    const messages = await ruleIdsFor(
      'src/invoke/probe.ts',
      "import { nextFires } from '../expressions/index.ts';\nexport const x = nextFires;\n",
    );
    assert.deepEqual(messages, []);
  });

  it('lets events reach firing only through its public index', async () => {
    const inside = await ruleIdsFor(
      'src/events/probe.ts',
      "import { FiringLoop } from '../firing/firing-loop.ts';\nexport const x = FiringLoop;\n",
    );
    assert.equal(inside.length, 1, inside.join('\n'));
    assert.match(inside[0]!, /only through src\/firing\/index\.ts/);
    const viaIndex = await ruleIdsFor(
      'src/events/probe.ts',
      "import { FiringLoop } from '../firing/index.ts';\nexport const x = FiringLoop;\n",
    );
    assert.deepEqual(viaIndex, []);
  });

  it('keeps domains off the store backends, tests included', async () => {
    for (const file of ['src/logs/probe.ts', 'src/logs/probe.test.ts']) {
      const messages = await ruleIdsFor(
        file,
        "import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';\nexport const x = openSqliteStore;\n",
      );
      assert.equal(messages.length, 1, `${file}: ${messages.join('\n')}`);
      assert.match(messages[0]!, /Store interface only/);
    }
  });
});

describe('lint: import cycles', () => {
  it('reports a cycle between two files', async () => {
    const eslint = new ESLint({ cwd: root, ignore: false });
    const results = await eslint.lintFiles(['test/lint/fixtures/cycle-a.ts']);
    const rules = results.flatMap((r) => r.messages.map((m) => m.ruleId));
    assert.deepEqual(rules, ['import-x/no-cycle']);
  });
});
