/**
 * Finds the aliases of the `aws` provider a Terraform configuration declares, so the override can
 * cover each of them. Reads the root module's `*.tf` files with HashiCorp's own HCL parser (as
 * WebAssembly, through @cdktf/hcl2json) and `*.tf.json` files as JSON: a hand-written scan would
 * miss heredocs, comments and nested blocks. Override files are skipped: they are not where
 * providers are declared, and ours must not feed itself.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parse } from '@cdktf/hcl2json';

type Blocks = Record<string, unknown>;

function aliasesOf(document: Blocks): string[] {
  const providers = document['provider'];
  if (!providers || typeof providers !== 'object') return [];
  const aws = (providers as Blocks)['aws'];
  const blocks = Array.isArray(aws) ? aws : aws ? [aws] : [];
  return blocks
    .map((block) => (block as Blocks)['alias'])
    .filter((alias): alias is string => typeof alias === 'string');
}

function isOverride(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/** Aliases of `provider "aws"` blocks in `dir` (the root module), sorted, without duplicates. */
export async function awsProviderAliases(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter(
    (n) => (n.endsWith('.tf') || n.endsWith('.tf.json')) && !isOverride(n),
  );
  const found = new Set<string>();
  for (const name of names.sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    let document: Blocks;
    try {
      document = name.endsWith('.json')
        ? (JSON.parse(text) as Blocks)
        : ((await parse(name, text)) as Blocks);
    } catch (error) {
      // Terraform itself reports syntax errors better, with positions; let it.
      void error;
      continue;
    }
    for (const alias of aliasesOf(document)) found.add(alias);
  }
  return [...found].sort();
}
