#!/usr/bin/env node
// Runs the whole test suite with Node's own test runner (TypeScript through tsx).
// Node 20's runner takes no globs, so this script finds the files:
//   unit tests        src/**/*.test.ts       (fast, no Docker)
//   integration tests test/**/*.test.ts      (real Docker; each file skips with a clear message
//                                            when no engine answers, unless RUN_INTEGRATION_TESTS=1
//                                            demands one, as .ci/run does)
// Usage: npm test [-- --unit | --integration] [extra paths filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.includes('--unit')
  ? 'unit'
  : args.includes('--integration')
    ? 'integration'
    : 'all';
const filters = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  let out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(find(path));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

let files = [];
if (only !== 'integration') files = files.concat(find(join(root, 'src')));
if (only !== 'unit') files = files.concat(find(join(root, 'test')));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
files.sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    // The AWS SDK's notice that Node 20 support ends soon would repeat in every test file's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  },
);
process.exit(result.status ?? 1);
