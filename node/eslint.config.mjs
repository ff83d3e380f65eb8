// Lint of the package's JavaScript: the recommended rules, with Node's globals.
import js from '@eslint/js'
import globals from 'globals'

export default [
  { ignores: ['node_modules/', 'native.js', 'native.d.ts', '**/*.ts', '**/*.mts', '**/*.cts'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
]
