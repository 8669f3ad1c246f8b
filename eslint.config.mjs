// Lint rules that carry the house style: the Clock is the only source of time, domains do not
// reach into a store backend, and type-only imports stay type-only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  { ignores: ['node_modules/**', '.cronbridge/**', 'bin/**'] },
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
    rules: {
      ...clockBan,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/sqlite/**', '**/store/postgres/**'],
              message: 'Domains reach state through the Store interface only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain Node scripts (scripts/*.mjs) run outside TypeScript and need Node's globals declared.
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
