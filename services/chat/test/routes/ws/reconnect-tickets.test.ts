import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import { names } from '@webchat/engine'
import { loggerOptions } from '../../../src/logger.js'
import { names as chatNames } from '../../../src/names.js'
import { connect, refusal, type TestClient, type UpgradeRefused } from '../../helpers/client.js'
import { type Cluster, ENGINES, eventually, startCluster } from '../../helpers/cluster.js'


const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Every ticket a test read: none may reach the logs. */
const seen = new Set<string>()

/** The ticket of a client's last `ready` or `refreshed`. */
function ticketOf (client: TestClient): string {
  const frames = client.frames.filter((f) => (f.type === 'ready' || f.type === 'refreshed') && typeof f.ticket === 'string')
  const ticket = frames.at(-1)?.ticket
  if (typeof ticket !== 'string') throw new Error('no ticket was given')
  seen.add(ticket)
  return ticket
}

/** Opens a connection with a ticket and waits for its `ready`. */
async function reconnect (cluster: Cluster, i: number, ticket: string): Promise<TestClient> {
  const client = await connect(cluster.wsUrl(i), ticket)
  await client.waitFor((f) => f.type === 'ready', 5000, 'ready frame')
  return client
}

const parts = (ticket: string): { user: string, secret: string } => {
  const [, user, secret] = ticket.split('.')
  return { user: user!, secret: secret! }
}

for (const kind of ENGINES) {
  t.test(`${kind}: reconnect tickets`, async (t) => {
    const lines: string[] = []
    const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done() } })
    const cluster = await startCluster(t, kind, { logger: { ...loggerOptions({ LOG_LEVEL: 'trace' }), stream } })
    const other = cluster.apps.length - 1
    const open = async (i: number, ticket: string): Promise<TestClient> => {
      const client = await reconnect(cluster, i, ticket)
      t.teardown(client.close)
      return client
    }

    t.test('ready gives an opaque ticket and the token expiry', async (t) => {
      const client = await cluster.connect(0, { sub: 'ana', sid: 'sid-ana', expiresIn: 240 })
      const ready = client.frames.find((f) => f.type === 'ready')!
      const ticket = ticketOf(client)
      t.match(ticket, /^wcr2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{32}$/)
      t.notOk(ticket.includes('ana'), 'the user id is not readable at a glance')
      const expiresAt = Date.parse(String(ready.expiresAt))
      t.ok(Math.abs(expiresAt - (Date.now() + 240_000)) < 5000, 'the token expiry')
    })

    t.test('a ticket opens one connection, on any instance, of the same user and session', async (t) => {
      const first = await cluster.connect(0, { sub: 'ben', sid: 'sid-ben', name: 'Ben' })
      const ticket = ticketOf(first)
      const firstReady = first.frames.find((f) => f.type === 'ready')!
      await first.close()
      const second = await open(other, ticket)
      const ready = second.frames.find((f) => f.type === 'ready')!
      t.same(ready.user, { id: 'ben', name: 'Ben' }, 'the same user, with their name')
      t.equal(ready.expiresAt, firstReady.expiresAt, 'the token expiry it carried: a ticket lengthens nothing')
      t.notOk('ticket' in ready, 'no ticket of its own until it refreshes: one ticket opens one connection, never a chain')
      const again = await refusal(connect(cluster.wsUrl(0), ticket))
      t.equal(again.status, 401, 'single use')
      t.match(again.body, { error: 'invalid_token', message: /unknown, used or expired/ })
      // The session came with it: its logout closes the new connection.
      await cluster.engine.pubsub.publish(names.sessionRevokedChannel(names.revocationBucketOf('sid-ben')), 'sid-ben')
      t.equal((await second.closed).code, 4001, 'closed when its session ends')
    })

    t.test('a connection a ticket opened gets a ticket with its next refresh', async (t) => {
      const first = await cluster.connect(0, { sub: 'bo', sid: 'sid-bo' })
      const ticket = ticketOf(first)
      await first.close()
      const second = await open(other, ticket)
      second.send({ type: 'refresh', token: await cluster.auth.mint({ sub: 'bo', sid: 'sid-bo', expiresIn: 600 }) })
      await second.waitFor((f) => f.type === 'refreshed')
      const renewed = ticketOf(second)
      await second.close()
      t.same((await open(0, renewed)).frames.find((f) => f.type === 'ready')?.user, { id: 'bo', name: 'User One' })
    })

    t.test('of concurrent uses of one ticket exactly one connects', async (t) => {
      const first = await cluster.connect(0, { sub: 'cy', sid: 'sid-cy' })
      const ticket = ticketOf(first)
      const results = await Promise.allSettled(Array.from({ length: 8 }, async (_, i) => await connect(cluster.wsUrl(i), ticket)))
      const opened = results.filter((r) => r.status === 'fulfilled')
      t.equal(opened.length, 1, 'one of 8')
      for (const r of opened) await r.value.close()
      for (const r of results) if (r.status === 'rejected') t.equal((r.reason as UpgradeRefused).status, 401)
    })

    t.test('a logged-out session\'s ticket is refused; another session of the user is not', async (t) => {
      const out = await cluster.connect(0, { sub: 'dan', sid: 'sid-dan-1' })
      const stays = await cluster.connect(0, { sub: 'dan', sid: 'sid-dan-2' })
      // What auth stores on a logout (revocations.ts), before the channel tells the instances.
      await cluster.engine.kv.set(names.revokedSession('sid-dan-1'), '1', 60_000)
      const error = await refusal(connect(cluster.wsUrl(other), ticketOf(out)))
      t.equal(error.status, 401)
      t.match(error.body, { error: 'invalid_token', message: /session of this ticket has ended/ })
      await open(other, ticketOf(stays))
    })

    t.test('a tampered, forged or another user\'s ticket is refused', async (t) => {
      const eve = await cluster.connect(0, { sub: 'eve', sid: 'sid-eve', name: 'Eve' })
      const fay = await cluster.connect(0, { sub: 'fay', sid: 'sid-fay' })
      const mine = parts(ticketOf(eve))
      const hers = parts(ticketOf(fay))
      const flip = (s: string): string => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
      const cases: Array<[string, string, RegExp]> = [
        ['one character of the secret changed', `wcr2.${mine.user}.${flip(mine.secret)}`, /unknown, used or expired/],
        ['her secret under my user', `wcr2.${mine.user}.${hers.secret}`, /unknown, used or expired/],
        ['my secret under her user', `wcr2.${hers.user}.${mine.secret}`, /unknown, used or expired/],
        ['a user that is no user id', `wcr2.${Buffer.from('has space').toString('base64url')}.${mine.secret}`, /malformed/],
        ['a short secret', `wcr2.${mine.user}.${mine.secret.slice(1)}`, /malformed/],
        ['a part too many', `wcr2.${mine.user}.${mine.secret}.x`, /malformed/],
        ['the prefix alone', 'wcr2.', /malformed/]
      ]
      for (const [what, ticket, message] of cases) {
        const error = await refusal(connect(cluster.wsUrl(other), ticket))
        t.equal(error.status, 401, what)
        t.match(error.body, { error: 'invalid_token', message }, what)
      }
      const mineAgain = await open(other, ticketOf(eve))
      t.same(mineAgain.frames.find((f) => f.type === 'ready')?.user, { id: 'eve', name: 'Eve' }, 'the real ticket still works after the attempts')
      await open(0, ticketOf(fay))
    })

    t.test('a refresh gives a new ticket and the previous one stops working', async (t) => {
      const client = await cluster.connect(0, { sub: 'gus', sid: 'sid-gus' })
      const before = ticketOf(client)
      client.send({ type: 'refresh', token: await cluster.auth.mint({ sub: 'gus', sid: 'sid-gus', expiresIn: 600 }) })
      const refreshed = await client.waitFor((f) => f.type === 'refreshed')
      const after = ticketOf(client)
      t.not(after, before)
      await eventually(async () => {
        const probe = await connect(cluster.wsUrl(other), before).then(async (c) => { await c.close(); return 'opened' }, () => 'refused')
        return probe === 'refused'
      }, 2000, 'the old ticket refused')
      const next = await open(other, after)
      t.equal(next.frames.find((f) => f.type === 'ready')?.expiresAt, refreshed.expiresAt, 'carries the refreshed expiry')
    })

    t.test('the ticket is stored under a digest in its user\'s slot, with a bounded life', async (t) => {
      const client = await cluster.connect(0, { sub: 'hal', sid: 'sid-hal' })
      const { secret } = parts(ticketOf(client))
      const key = chatNames.reconnectTicket('hal', createHash('sha256').update(secret).digest('base64url').slice(0, 32))
      t.equal(chatNames.hashTag(key), 'hal', 'the user\'s hash tag')
      const ready = client.frames.find((f) => f.type === 'ready')!
      const tokenLeft = Date.parse(String(ready.expiresAt)) - Date.now()
      const ttl = await cluster.engine.kv.ttl(key)
      t.ok(ttl !== null && ttl > 100_000 && ttl <= tokenLeft + 5000 + 1000, `while open, expires with its token and the clock tolerance (${ttl} ms left, the token ${tokenLeft})`)
      t.equal(await cluster.engine.kv.get(chatNames.reconnectTicket('hal', secret)), null, 'not under the secret itself')
      await client.close()
      await eventually(async () => {
        const left = await cluster.engine.kv.ttl(key)
        return left !== null && left <= 120_000
      }, 5000, 'the ticket lives RECONNECT_TICKET_MS once its connection ended')
    })

    t.test('no ticket reaches the logs', async (t) => {
      t.ok(seen.size >= 8, `${seen.size} tickets`)
      const text = lines.join('')
      for (const ticket of seen) t.notOk(text.includes(parts(ticket).secret), 'secret absent')
    })
  })

  t.test(`${kind}: a ticket is refused once the token it carries has expired`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1 })
    // Expired 3 s ago: still within the 5 s of clock tolerance a token gets, so it connects.
    const client = await cluster.connect(0, { sub: 'ned', sid: 'sid-ned', expiresIn: -3 })
    const ticket = ticketOf(client)
    await client.close()
    await sleep(2500)
    const error = await refusal(connect(cluster.wsUrl(0), ticket))
    t.equal(error.status, 401)
    t.match(error.body, { error: 'invalid_token', message: /token this ticket carries has expired/ }, 'no later than its token would be')
  })

  t.test(`${kind}: a ticket's life`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { RECONNECT_TICKET_MS: 1000, TOKEN_GRACE_MS: 0 } })
    const other = cluster.apps.length - 1

    t.test('alive while its connection is open, then RECONNECT_TICKET_MS more', async (t) => {
      const long = await cluster.connect(0, { sub: 'ida', sid: 'sid-ida' })
      const gone = await cluster.connect(0, { sub: 'jon', sid: 'sid-jon' })
      await gone.close()
      await sleep(1800)
      t.equal((await refusal(connect(cluster.wsUrl(other), ticketOf(gone)))).status, 401, 'refused 1.8 s after its connection ended')
      await long.close()
      const next = await reconnect(cluster, other, ticketOf(long))
      t.teardown(next.close)
      t.pass('kept alive while open for 1.8 s, and usable right after the end')
    })
  })

  t.test(`${kind}: an open connection's ticket stops working once its instance stops renewing (as when it dies)`, async (t) => {
    // A minute's ticket life: no renewal (every 30 s) lands between the key's removal and the use.
    const cluster = await startCluster(t, kind, { env: { RECONNECT_TICKET_MS: 60_000 } })
    const other = cluster.apps.length - 1
    const open = await cluster.connect(0, { sub: 'kim', sid: 'sid-kim' })
    t.teardown(open.close)
    const { secret } = parts(ticketOf(open))
    const stored = JSON.parse(String(await cluster.engine.kv.get(chatNames.reconnectTicket('kim', createHash('sha256').update(secret).digest('base64url').slice(0, 32))))) as { inst: string }
    t.match(stored.inst, new RegExp(`^${cluster.configs[0]!.instanceId}\\.[\\w-]{8}$`), 'the ticket names its instance\'s process')
    const alive = chatNames.instanceAlive(stored.inst)
    const ttl = await cluster.engine.kv.ttl(alive)
    t.ok(ttl !== null && ttl > 50_000 && ttl <= 60_000, `the instance's key lives a ticket life (${ttl} ms left)`)
    const healthy = await cluster.connect(0, { sub: 'lou', sid: 'sid-lou' })
    t.teardown(healthy.close)
    const next = await reconnect(cluster, other, ticketOf(healthy))
    t.teardown(next.close)
    t.pass('while the key lives, an open connection\'s ticket works')
    // What a crash leaves: the connection still counts as open, and nothing renews the key.
    await cluster.engine.kv.delete(alive)
    const error = await refusal(connect(cluster.wsUrl(other), ticketOf(open)))
    t.equal(error.status, 401)
    t.match(error.body, { error: 'invalid_token', message: /instance this ticket's connection was on stopped/ })
  })

  t.test(`${kind}: RECONNECT_TICKET_MS=0`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1, env: { RECONNECT_TICKET_MS: 0 } })
    const client = await cluster.connect(0, { sub: 'max', sid: 'sid-max' })
    t.notOk('ticket' in client.frames.find((f) => f.type === 'ready')!, 'ready has no ticket')
    const error = await refusal(connect(cluster.wsUrl(0), `wcr2.${Buffer.from('max').toString('base64url')}.${'A'.repeat(32)}`))
    t.equal(error.status, 401)
    t.match(error.body, { error: 'invalid_token', message: /not accepted here/ })
  })
}
