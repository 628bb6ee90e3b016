import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { freePort, waitForPort } from '@webchat/testkit'
import { WEBHOOK_ATTEMPT_HEADER } from '@webchat/shared'
import { ISSUER, startAuthStub } from '../helpers/auth-stub.js'
import { connect } from '../helpers/client.js'
import { eventually, ORIGIN, sharedRedis, singleRedisOnly, startCluster } from '../helpers/cluster.js'
import { startReceiver } from '../helpers/webhook-receiver.js'

const SECRET = 'webhook-secret-for-tests-0123456789abcdef'
const FAST = { WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_MS: '3000', WEBHOOK_RETRY_MAX_MS: '3000', WEBHOOK_POLL_MS: '100' }
const server = fileURLToPath(new URL('../../dist/server.js', import.meta.url))

t.test('a chat instance killed in the middle of deliveries loses none of them', { skip: singleRedisOnly('a chat process of its own on the same redis-server') }, async (t) => {
  const redis = await sharedRedis()
  const prefix = redis.prefix()
  const auth = await startAuthStub()
  t.teardown(async () => await auth.close())
  // Holds every request until the instance that made them is dead, then answers 200.
  let dead = false
  const receiver = await startReceiver(t, () => (dead ? {} : { hang: true }))
  const port = await freePort()
  const doomed = spawn(process.execPath, [server], {
    stdio: 'ignore',
    env: {
      ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent', ENGINE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: prefix,
      AUTH_URL: auth.url, TOKEN_ISSUER: ISSUER, ALLOWED_ORIGINS: ORIGIN, ALLOW_NO_ORIGIN: 'true', INSTANCE_ID: 'doomed', WEBHOOK_URLS: receiver.url, ...FAST
    }
  })
  t.teardown(() => { doomed.kill('SIGKILL') })
  await waitForPort(port, 15_000, 'chat')

  const ann = await connect(`ws://127.0.0.1:${port}/ws`, await auth.mint({ sub: 'ann', name: 'Ann' }))
  await ann.waitFor((f) => f.type === 'ready')
  ann.send({ type: 'join', room: 'doomed-room' })
  await ann.waitFor((f) => f.type === 'joined')
  for (let i = 0; i < 3; i++) ann.send({ type: 'send', room: 'doomed-room', text: `before the crash ${i}`, clientMsgId: `k-${i}` })
  await ann.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'k-2')
  // room.created, member.added and the three messages, all in flight on the doomed instance.
  await eventually(() => receiver.requests.length === 5, 5000, 'five deliveries under way')
  const inFlight = receiver.requests.map((r) => r.json.id)
  doomed.kill('SIGKILL')
  await once(doomed, 'exit')
  await ann.close().catch(() => {})
  dead = true

  // Another instance on the same Redis takes over what the dead one had taken.
  await startCluster(t, 'redis', { instances: 1, redis: 'single', env: { REDIS_PREFIX: prefix, WEBHOOK_URLS: receiver.url, ...FAST } })
  await eventually(() => inFlight.every((id) => receiver.requests.filter((r) => r.json.id === id).length === 2), 10_000, 'every event delivered again')
  const again = receiver.requests.slice(5)
  t.same(again.map((r) => r.json.id).sort(), [...inFlight].sort(), 'each event once more, with its own id, nothing lost')
  t.ok(again.every((r) => r.headers[WEBHOOK_ATTEMPT_HEADER] === '2'), 'as its second attempt')
  t.same(receiver.of('message.created').map((r) => (r.json.data.message as { text: string }).text).slice(3).sort(), ['before the crash 0', 'before the crash 1', 'before the crash 2'])
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal(receiver.requests.length, 10, 'and not a third time once answered')
})
