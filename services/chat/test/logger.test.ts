import { Writable } from 'node:stream'
import t from 'tap'
import { checkRefusedRedisLog, startRedis, withRefusedCredentials } from '@webchat/testkit'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { loggerOptions } from '../src/logger.js'

t.test('a Redis that refuses the password: the connection error is logged, the password is not', async (t) => {
  const redis = await startRedis()
  t.teardown(async () => { await redis.close() })
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done() } })
  const config = loadConfig({ LOG_LEVEL: 'warn', REDIS_URL: withRefusedCredentials(redis.url), AUTH_URL: 'http://127.0.0.1:9', INSTANCE_ID: 'log-0' })
  const app = await buildApp({ config, logger: { ...loggerOptions(config), stream } })
  t.teardown(async () => { await app.close() })
  await checkRefusedRedisLog(t, lines)
})
