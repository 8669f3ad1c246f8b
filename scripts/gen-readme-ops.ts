/**
 * Regenerates the README's "Supported AWS operations" table from the service modules the server
 * really registers (`engineApiServices` in src/engine/engine-api.ts), so the table cannot promise an
 * operation the server lacks or miss one it has. Only the text between the two markers changes.
 *
 * Run: npm run docs:ops   (node --import tsx scripts/gen-readme-ops.ts)
 * `--check` exits 1 instead of writing when the README is stale. The unit test
 * src/api/supported-operations.readme.test.ts makes the same comparison.
 *
 * The engine behind the list is the engine fixture on the in-memory container runtime, a manual
 * clock and an in-memory SQLite store, without its API server: building the modules needs the services, not Docker or real time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as prettier from 'prettier';

import { supportedOperationsMarkdown } from '../src/api/service-registry.ts';
import { engineApiServices } from '../src/engine/engine-api.ts';
import { startTestEngine } from '../src/engine/engine.fixture.ts';
import { ManualClock } from '../src/platform/clock.ts';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));
export const START_MARKER = '<!-- supported-operations:start -->';
export const END_MARKER = '<!-- supported-operations:end -->';

/** The supported-operations table of a freshly built engine, unformatted. */
export async function engineOperationsMarkdown(): Promise<string> {
  await using fx = await startTestEngine({
    runtime: 'memory',
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    withApi: false,
    recover: false,
  });
  return supportedOperationsMarkdown(engineApiServices(fx.engine));
}

/** The text strictly between the markers; throws when they are missing or out of order. */
export function readmeSection(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`README.md lacks the ${START_MARKER} … ${END_MARKER} markers`);
  }
  return readme.slice(start + START_MARKER.length, end);
}

function withSection(readme: string, section: string): string {
  readmeSection(readme); // validates the markers
  const start = readme.indexOf(START_MARKER) + START_MARKER.length;
  return readme.slice(0, start) + section + readme.slice(readme.indexOf(END_MARKER));
}

/**
 * The README with a fresh table between the markers, formatted as `npm run format` would leave it
 * (so the formatter and this generator never undo each other). Prettier runs on the whole file
 * for faithful context, but only the marked section is taken from its output: the rest of the
 * README stays byte for byte as it was.
 */
export async function regenerateReadme(readme: string, readmePath = README_PATH): Promise<string> {
  const table = await engineOperationsMarkdown();
  const config = (await prettier.resolveConfig(readmePath)) ?? {};
  const formatted = await prettier.format(withSection(readme, `\n\n${table}\n`), {
    ...config,
    filepath: readmePath,
  });
  return withSection(readme, readmeSection(formatted));
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const readme = await readFile(README_PATH, 'utf8');
  const fresh = await regenerateReadme(readme);
  if (fresh === readme) {
    console.log('README.md: supported operations are up to date');
    return;
  }
  if (check) {
    console.error('README.md: supported operations are stale; run npm run docs:ops');
    process.exitCode = 1;
    return;
  }
  await writeFile(README_PATH, fresh);
  console.log('README.md: supported operations regenerated');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
