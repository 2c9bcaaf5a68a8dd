// Lint: typescript-eslint's recommended rules, and Nx's module boundaries: apps never import apps, `contracts` imports
// none of our code, libraries never import apps, and services reach each other only through contracts (a library).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.local/**', '**/dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'error',
      // Prettier wraps code at 120 columns; this catches what it cannot wrap: comments and test names.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      // `let x; … closure reads x …; x = …` is the only way to name an object in a callback given to its constructor.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // The console: React's rules of hooks (and the compiler's checks of what a component may do while rendering).
  { files: ['apps/console/src/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  // e2e/ is left out: it is the one place that starts the apps themselves (by their @agdar/<app> aliases).
  boundaries(['apps/**/*.ts', 'apps/**/*.tsx', 'libs/**/*.ts'], ['libs/*/test/**'], {}),
  // A library's own tests may use the test kit, which is built on the libraries: that loop is allowed in tests only.
  boundaries(['libs/*/test/**/*.ts'], [], {
    lib: ['type:testing'],
    ignoredCircularDependencies: [
      ['messaging', 'testing'],
      ['service-kit', 'testing'],
    ],
  }),
);

function boundaries(files, ignores, extra) {
  return {
    files,
    ignores,
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          ignoredCircularDependencies: extra.ignoredCircularDependencies ?? [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', ...(extra.lib ?? [])] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:lib', 'type:testing'] },
          ],
        },
      ],
    },
  };
}
