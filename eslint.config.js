// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The dependency direction of DESIGN.md §2, enforced: each layer lists what it may not import.
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'net',
  'http',
  'https',
  'crypto',
  'url',
  'stream',
  'events',
  'util',
  'readline',
  'tty',
  'zlib',
  'buffer',
  'process',
  'module',
  'dgram',
];
const noNode = {
  patterns: [{ group: ['node:*'], message: 'core/ is pure: Node APIs only in core/host and core/cli.' }],
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'core/ is pure: Node APIs only in core/host and core/cli.',
  })),
};
const layer = (forbidden, why) => ({ group: forbidden, message: why });
const pure = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: noNode.paths,
      patterns: [
        ...noNode.patterns,
        layer(
          ['electron', '**/electron/**', '**/renderer/**'],
          'core/ never imports Electron or the renderer.',
        ),
        ...forbidden,
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-fallthrough': 'error',
    },
  },
  {
    files: ['core/util/**/*.ts'],
    rules: pure([
      layer(
        ['**/machine/**', '**/kernel/**', '**/toolchain/**', '**/host/**', '**/cli/**', '**/elf/**'],
        'core/util is a leaf.',
      ),
    ]),
  },
  {
    files: ['core/elf/**/*.ts'],
    rules: pure([
      layer(
        ['**/machine/**', '**/kernel/**', '**/toolchain/**', '**/host/**', '**/cli/**'],
        'core/elf is a leaf.',
      ),
    ]),
  },
  {
    files: ['core/machine/**/*.ts'],
    rules: pure([
      layer(
        ['**/kernel/**', '**/toolchain/**', '**/host/**', '**/cli/**'],
        'core/machine knows nothing of Futura, the toolchain or the host.',
      ),
    ]),
  },
  {
    files: ['core/kernel/**/*.ts'],
    rules: pure([
      layer(
        ['**/toolchain/**', '**/host/**', '**/cli/**'],
        'core/kernel depends only on core/machine and core/elf.',
      ),
    ]),
  },
  {
    files: ['core/toolchain/**/*.ts'],
    rules: pure([
      layer(
        ['**/kernel/**', '**/host/**', '**/cli/**'],
        'core/toolchain depends only on core/elf and core/machine.',
      ),
    ]),
  },
  {
    files: ['core/protocol/**/*.ts'],
    rules: pure([layer(['**/host/**', '**/cli/**'], 'core/protocol is shared by every side.')]),
  },
  {
    files: ['core/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              ['electron', '**/electron/**', '**/renderer/**', '**/cli/**'],
              'core/host is below the front ends.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNode.paths,
          patterns: [
            ...noNode.patterns,
            layer(
              [
                'electron',
                '**/core/machine/**',
                '**/core/kernel/**',
                '**/core/toolchain/**',
                '**/core/host/**',
              ],
              'The renderer talks to the session only through core/protocol.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)renderer/(?!src/bridge/)',
              message: 'Electron shares only the bridge type with the renderer.',
            },
            layer(
              ['**/core/machine/**', '**/core/kernel/**', '**/core/toolchain/**'],
              'Electron stays thin: it reaches the session through core/host.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*', 'bin/**/*'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
