import { Writable } from 'node:stream'
import t from 'tap'
import { checkRefusedRedisLog, startRedis, startRedisCluster, withRefusedCredentials } from '@webchat/testkit'
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

t.test('a Redis Cluster that refuses the password: logged with its reason, the password is not (it sits on the last node\'s error)', async (t) => {
  const cluster = await startRedisCluster(t)
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done() } })
  const nodes = cluster.nodes.map((node) => withRefusedCredentials(`redis://${node.host}:${node.port}`)).join(',')
  const config = loadConfig({ LOG_LEVEL: 'warn', REDIS_CLUSTER_NODES: nodes, AUTH_URL: 'http://127.0.0.1:9', INSTANCE_ID: 'log-1' })
  const app = await buildApp({ config, logger: { ...loggerOptions(config), stream } })
  t.teardown(async () => { await app.close() })
  await checkRefusedRedisLog(t, lines)
})
