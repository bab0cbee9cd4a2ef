// One ESLint config for the whole repo (run by `npm run lint` with Prettier and the import
// boundaries). typescript-eslint's recommended rules for .ts, eslint-plugin-svelte's for .svelte;
// formatting is Prettier's job, not ESLint's. shared/ gets two purity rules on top: no ambient
// randomness or time (a seeded generator and explicit timestamps keep runs reproducible).
import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Ambient declarations of globals are `declare var` by nature.
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'shared/ is deterministic: use the seeded generator in shared/random.ts' },
        { object: 'Date', property: 'now', message: 'shared/ takes time as a parameter' },
        { object: 'performance', property: 'now', message: 'shared/ takes time as a parameter' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'shared/ takes time as a parameter' },
      ],
    },
  },
)
