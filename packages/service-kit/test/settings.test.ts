import t from 'tap'
import Type from 'typebox'
import { ConfigError, loadSettings } from '../src/index.js'

const Schema = Type.Object({
  port: Type.Integer({ env: 'PORT', default: 3000, minimum: 0, maximum: 65535, description: 'listen port' }),
  docs: Type.Boolean({ env: 'DOCS', default: true, description: 'serve docs' }),
  origins: Type.Array(Type.String({ minLength: 1 }), { env: 'ORIGINS', default: ['http://a'], description: 'origins' }),
  redisUrl: Type.Optional(Type.String({ env: 'REDIS_URL', description: 'Redis' })),
  engine: Type.Union([Type.Literal('memory'), Type.Literal('redis')], { env: 'ENGINE', description: 'engine; redis with REDIS_URL' })
}, { additionalProperties: false })
const engineDefault = (values: Record<string, unknown>) => ({ engine: values.redisUrl === undefined ? 'memory' : 'redis' })

t.test('variables are read, converted and defaulted; the result has the schema\'s type', async (t) => {
  const config = loadSettings(Schema, { PORT: '8080', DOCS: 'off', ORIGINS: ' http://b, ,http://c ', UNRELATED: 'x' }, engineDefault)
  t.same(config, { port: 8080, docs: false, origins: ['http://b', 'http://c'], engine: 'memory' })
  const port: number = config.port
  t.equal(port, 8080)
  t.same(loadSettings(Schema, { PORT: '', DOCS: 'YES' }, engineDefault), { port: 3000, docs: true, origins: ['http://a'], engine: 'memory' }, 'empty means unset')
  t.same(loadSettings(Schema, { PORT: 1, DOCS: false, ORIGINS: ['x'] }, engineDefault), { port: 1, docs: false, origins: ['x'], engine: 'memory' }, 'typed values as they are')
})

t.test('dependent defaults apply only where the variable is unset', async (t) => {
  t.equal(loadSettings(Schema, { REDIS_URL: 'redis://r' }, engineDefault).engine, 'redis')
  t.equal(loadSettings(Schema, { REDIS_URL: 'redis://r', ENGINE: 'memory' }, engineDefault).engine, 'memory')
})

t.test('every variable at fault is named in one ConfigError', async (t) => {
  t.throws(() => loadSettings(Schema, { PORT: 'eighty' }, engineDefault), ConfigError)
  t.throws(() => loadSettings(Schema, { PORT: '70000', DOCS: 'maybe', ENGINE: 'mongo' }, engineDefault), /^invalid configuration: .*PORT.*DOCS.*ENGINE/)
  t.throws(() => loadSettings(Schema, { ORIGINS: ['http://a', ''] }), /ORIGINS/, 'a bad list item names the list')
  t.throws(() => loadSettings(Schema, {}), /ENGINE must be set/, 'a setting with neither a value nor a default')
  t.same(loadSettings(Schema, { ORIGINS: ',' }, engineDefault).origins, [], 'an empty list is a list')
})
