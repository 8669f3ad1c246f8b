// Lint rules that carry the house style: the Clock is the only source of time, domains do not
// reach into a store backend, folders import only the folders below them (LAYERS), no file
// imports itself through a cycle, and type-only imports stay type-only.
// test/lint/layering.test.ts shows each of these failing on a forbidden import.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

import { LAYERS, layeringRules } from './scripts/lint/layers.mjs';

const clockBan = {
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Time comes from the injected Clock (src/platform/clock.ts).' },
    { name: 'setInterval', message: 'Time comes from the injected Clock (src/platform/clock.ts).' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'Time comes from the injected Clock (src/platform/clock.ts).',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Time comes from the injected Clock (src/platform/clock.ts).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.cronbridge/**', 'bin/**', 'test/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/platform/clock.ts'],
    rules: clockBan,
  },
  {
    // Import cycles, between folders or inside one, anywhere in the TypeScript tree.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // The plugin reads each imported file to follow the graph; it needs the TypeScript parser.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // One block per folder of src/: which of our folders it may import (see LAYERS).
  ...layeringRules(LAYERS),
  {
    // Plain Node scripts (scripts/*.mjs) run outside TypeScript and need Node's globals declared.
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
