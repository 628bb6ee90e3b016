import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-server/**', '**/node_modules/**', '**/.tap/**', '**/coverage/**', '**/artifacts/**', '**/*.generated.ts', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read the environment only in src/config.ts (and test harnesses).' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error'
    }
  },
  {
    files: ['**/src/config.ts', '**/test/**', 'packages/testkit/**', '**/scripts/**', '**/bench/**', '.ci/**'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' }
  },
  {
    files: ['web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // User text is rendered as text, and the page's CSP (style-src 'self') refuses inline styles.
      'no-restricted-syntax': ['error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text as text: no markup from strings.' },
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML|insertAdjacentHTML)$/]", message: 'Render text as text: no markup from strings.' },
        { selector: "JSXAttribute[name.name='style']", message: 'The CSP refuses inline styles: use a class.' }]
    }
  }
)
