import { readFileSync } from 'node:fs'
import t from 'tap'
// @ts-expect-error the generator is a plain ES module without types
import { generate } from '../scripts/generate-validators.mjs'

t.test('the committed precompiled validators match the schemas', async (t) => {
  const committed = readFileSync(new URL('../src/validators.generated.ts', import.meta.url), 'utf8')
  t.equal(generate(), committed, 'run `npm run generate -w packages/shared` after changing a schema')
})
