// Lint configuration. The one project-specific rule keeps the engine pure: it may not reach for
// VS Code, the debug adapter libraries, the DOM or the file system, so it runs anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const browserOnlyGlobals = Object.keys(globals.browser).filter((name) => !(name in globals.node));

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.vscode-test/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'],
          patterns: ['@vscode/*', '**/extension/**', '**/debug/**', '**/scenario/**', '**/protocol/**'],
        },
      ],
      'no-restricted-globals': ['error', ...browserOnlyGlobals],
    },
  },
  {
    files: ['src/scenario/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['vscode'], patterns: ['@vscode/*', '**/extension/**', '**/debug/**'] },
      ],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
