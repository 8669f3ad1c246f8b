// The layering of src/: for each folder, the other folders of src/ it may import. Lower layers
// never import higher ones, so the data flow (api → services → firing → invoke → ecs →
// supervisor → runtime) cannot grow an arrow backwards without this file saying so.
// eslint.config.mjs turns the table into one `no-restricted-imports` block per folder;
// src/README.md explains the layers. A folder of src/ missing here fails the lint run, so a new
// domain declares its place before its first import.
import { readdirSync } from 'node:fs';

/** Every folder under the composition root: the engine wires them all. */
const BELOW_ENGINE = [
  'platform',
  'expressions',
  'store',
  'runtime',
  'logs',
  'supervisor',
  'ecs',
  'firing',
  'events',
  'invoke',
  'iam',
  'ec2',
  'api',
];

/** Folder → the folders it may import (itself always). Test files and test-support are exempt. */
export const LAYERS = {
  platform: [],
  expressions: ['platform'],
  store: ['platform'],
  runtime: ['platform'],
  logs: ['platform', 'store'],
  supervisor: ['platform', 'runtime', 'logs'],
  ecs: ['platform', 'store', 'supervisor'],
  firing: ['platform', 'store', 'expressions'],
  events: ['platform', 'store', 'expressions', 'firing/index'],
  invoke: ['platform', 'store', 'expressions', 'firing/index', 'events', 'ecs'],
  iam: ['platform', 'store'],
  ec2: ['platform', 'store'],
  api: ['platform', 'expressions', 'ecs', 'events', 'logs', 'firing', 'invoke', 'iam', 'ec2'],
  engine: BELOW_ENGINE,
  cli: [...BELOW_ENGINE, 'engine'],
};

/** Only these folders may open a store backend directly; everyone else uses the Store interface. */
const BACKEND_USERS = new Set(['store', 'cli']);

const TEST_FILES = [
  '**/*.test.ts',
  '**/*.test-support.ts',
  '**/test-support/**',
  '**/*.fixture.ts',
];

const backendBan = {
  group: ['**/store/sqlite/**', '**/store/postgres/**'],
  message: 'Domains reach state through the Store interface only.',
};

/**
 * ESLint flat-config blocks for {@link LAYERS}: one per folder. `'firing/index'` in a list allows
 * that folder's public entry point (`src/firing/index.ts`) and nothing else inside it.
 */
export function layeringRules(layers, srcDir = new URL('../../src/', import.meta.url)) {
  const folders = readdirSync(srcDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const undeclared = folders.filter((f) => !Object.hasOwn(layers, f));
  if (undeclared.length > 0) {
    throw new Error(
      `src/${undeclared.join(', src/')}: declare the folder's allowed imports in scripts/lint/layers.mjs`,
    );
  }
  const blocks = [
    {
      // Tests everywhere in src/ (exempt from the layering) still keep off the store backends.
      files: ['src/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', { patterns: [backendBan] }] },
    },
  ];
  for (const folder of Object.keys(layers)) {
    const allowed = new Set(layers[folder].map((a) => a.split('/')[0]));
    const throughIndex = layers[folder].filter((a) => a.includes('/')).map((a) => a.split('/')[0]);
    const patterns = Object.keys(layers)
      .filter((other) => other !== folder && !allowed.has(other))
      .map((other) => ({
        group: [`**/${other}/**`],
        message: `src/${folder} may import only ${describe(layers[folder])} (scripts/lint/layers.mjs).`,
      }));
    for (const other of throughIndex) {
      patterns.push({
        group: [`**/${other}/**`, `!**/${other}/index.ts`],
        message: `src/${folder} may import src/${other} only through src/${other}/index.ts (its public ports).`,
      });
    }
    if (!BACKEND_USERS.has(folder)) patterns.push(backendBan);
    blocks.push({
      files: [`src/${folder}/**/*.ts`],
      ignores: TEST_FILES,
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    });
  }
  return blocks;
}

function describe(allowed) {
  return allowed.length === 0 ? 'nothing else in src/' : allowed.map((a) => `src/${a}`).join(', ');
}
