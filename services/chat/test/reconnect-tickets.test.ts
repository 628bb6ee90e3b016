import t, { type Test } from 'tap'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import { loadConfig } from '../src/config.js'
import { createReconnectTickets, type ReconnectTickets, TICKET_PREFIX, type TicketHolder } from '../src/reconnect-tickets.js'

const holder = (): TicketHolder => ({
  id: 'c1', user: { id: 'u1', name: 'Ana' }, sid: 's1', expiresAt: Date.now() + 60_000, ticketKey: null, ticketEnded: false, onTicket: false
})

/** A memory engine (closed with the test) and the tickets of one process on it; no session is logged out. */
function ticketsOn (t: Test, env: Record<string, string>, warn: (fields: Record<string, unknown>, msg: string) => void = () => {}): { engine: Engine, tickets: ReconnectTickets, start: () => ReconnectTickets } {
  const engine = createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  const config = loadConfig(env)
  const start = (): ReconnectTickets => createReconnectTickets({ config, engine, tokens: { revoked: async () => false }, log: { warn } as never })
  return { engine, tickets: start(), start }
}

t.test('a ticket the engine cannot store is left out and logged, without its key or text', async (t) => {
  const warnings: Array<{ fields: Record<string, unknown>, msg: string }> = []
  const { engine, tickets } = ticketsOn(t, {}, (fields, msg) => { warnings.push({ fields, msg }) })
  engine.kv.set = async () => { throw new Error('engine down') }
  const h = holder()
  t.equal(await tickets.issue(h), undefined, 'no ticket, no rejection')
  t.equal(h.ticketKey, null, 'the holder keeps no key of a ticket never stored')
  t.equal(warnings.length, 1)
  t.match(warnings[0], { fields: { connectionId: 'c1', userId: 'u1' }, msg: 'reconnect ticket not issued' })
  t.notOk(JSON.stringify(Object.keys(warnings[0]!.fields)).includes('ticket'), 'nothing of a ticket in the fields')
})

t.test('a stored ticket opens once, while the instance of its connection lives', async (t) => {
  const { engine, tickets, start } = ticketsOn(t, { RECONNECT_TICKET_MS: '5000', INSTANCE_ID: 'chat-a' })
  await tickets.keepAlive()
  t.match(tickets.aliveKey, /^instance-alive:\{chat-a\.[\w-]{8}\}$/, 'the instance and a random part of this process')
  t.not(start().aliveKey, tickets.aliveKey, 'a restart under the same INSTANCE_ID renews another key')
  const alive = await engine.kv.ttl(tickets.aliveKey)
  t.ok(alive !== null && alive > 4000 && alive <= 5000, `the instance's key lives a ticket life (${alive} ms)`)
  const h = holder()
  const ticket = await tickets.issue(h)
  t.ok(ticket?.startsWith(TICKET_PREFIX))
  const ttl = await engine.kv.ttl(h.ticketKey!)
  t.ok(ttl !== null && ttl > 60_000 && ttl <= 65_000, `an open connection's ticket lives as long as its token (${ttl} ms)`)
  const claims = await tickets.admit(tickets.read(ticket!))
  t.match(claims, { sub: 'u1', sid: 's1', name: 'Ana' })
  await t.rejects(tickets.admit(tickets.read(ticket!)), { code: 'WEBCHAT_ERR_INVALID_TOKEN', message: /used or expired/ }, 'the second use is refused')

  const other = holder()
  const second = await tickets.issue(other)
  tickets.ended(other)
  await new Promise((resolve) => setTimeout(resolve, 10))
  const left = await engine.kv.ttl(other.ticketKey!)
  t.ok(left !== null && left <= 5000, `an ended connection's ticket lives RECONNECT_TICKET_MS (${left} ms)`)
  await engine.kv.delete(tickets.aliveKey)
  await t.rejects(tickets.admit(tickets.read(second!)), { message: /instance this ticket's connection was on stopped/ }, 'once its instance stopped renewing, refused')
})

t.test('a ticket whose connection ended while it was stored is deleted and not handed out', async (t) => {
  const { engine, tickets } = ticketsOn(t, { RECONNECT_TICKET_MS: '5000' })
  const set = engine.kv.set.bind(engine.kv)
  const stored: string[] = []
  engine.kv.set = async (key, value, ttlMs) => { stored.push(key); await set(key, value, ttlMs) }
  const h = holder()
  const issued = tickets.issue(h)
  tickets.ended(h) // the socket closes while the ticket's write is under way
  t.equal(await issued, undefined, 'no ticket for a connection that ended')
  t.equal(stored.length, 1, 'the write had started')
  t.equal(await engine.kv.get(stored[0]!), null, 'its key is gone, not left for the token\'s life')
  t.equal(h.ticketKey, null)
  t.equal(await tickets.issue(h), undefined, 'nor does a refresh after the end get one')
  t.equal(stored.length, 1, 'and it stores nothing')

  // The same when the engine cannot delete it at once: the next renewal does.
  const other = holder()
  const remove = engine.kv.delete.bind(engine.kv)
  engine.kv.delete = async () => { throw new Error('engine down') }
  const second = tickets.issue(other)
  tickets.ended(other)
  t.equal(await second, undefined)
  await new Promise((resolve) => setTimeout(resolve, 10))
  t.not(await engine.kv.get(stored[1]!), null, 'still there while the engine refuses')
  engine.kv.delete = remove
  await tickets.keepAlive()
  t.equal(await engine.kv.get(stored[1]!), null, 'deleted with the next renewal')
})

t.test('a refresh under way when the socket closes: the ticket the client holds is shortened, kept; the new one is deleted', async (t) => {
  const { engine, tickets } = ticketsOn(t, { RECONNECT_TICKET_MS: '5000' })
  await tickets.keepAlive()
  const h = holder()
  const held = await tickets.issue(h) // sent with `ready`: the client holds it
  const heldKey = h.ticketKey!
  const set = engine.kv.set.bind(engine.kv)
  const stored: string[] = []
  engine.kv.set = async (key, value, ttlMs) => { stored.push(key); await set(key, value, ttlMs) }
  const refreshed = tickets.issue(h) // the refresh's ticket, its write under way
  tickets.ended(h)
  t.equal(await refreshed, undefined, 'no new ticket for a connection that ended')
  t.equal(h.ticketKey, heldKey, 'the holder still names the ticket its client holds')
  t.equal(await engine.kv.get(stored[0]!), null, 'the new ticket\'s key is gone')
  const left = await engine.kv.ttl(heldKey)
  t.ok(left !== null && left <= 5000, `the held ticket lives RECONNECT_TICKET_MS, not deleted (${left} ms)`)
  t.match(await tickets.admit(tickets.read(held!)), { sub: 'u1', sid: 's1' }, 'and still opens a connection')
})

t.test('an ended connection\'s ticket the engine could not shorten is shortened with the next renewal', async (t) => {
  const { engine, tickets } = ticketsOn(t, { RECONNECT_TICKET_MS: '5000' })
  const h = holder()
  await tickets.issue(h)
  const touch = engine.kv.touch.bind(engine.kv)
  engine.kv.touch = async () => { throw new Error('engine down') }
  tickets.ended(h)
  await new Promise((resolve) => setTimeout(resolve, 10))
  t.ok((await engine.kv.ttl(h.ticketKey!) ?? 0) > 60_000, 'still the token\'s life')
  engine.kv.touch = touch
  await tickets.keepAlive()
  const left = await engine.kv.ttl(h.ticketKey!)
  t.ok(left !== null && left <= 5000, `RECONNECT_TICKET_MS once the engine is back (${left} ms)`)
})

t.test('a replaced ticket the engine could not delete is deleted with the next renewal', async (t) => {
  const { engine, tickets } = ticketsOn(t, { RECONNECT_TICKET_MS: '5000' })
  await tickets.keepAlive()
  const h = holder()
  const first = await tickets.issue(h)
  const firstKey = h.ticketKey!
  const remove = engine.kv.delete.bind(engine.kv)
  engine.kv.delete = async () => { throw new Error('engine down') }
  await tickets.issue(h)
  await new Promise((resolve) => setTimeout(resolve, 10))
  t.not(await engine.kv.get(firstKey), null, 'still stored while the engine refuses')
  engine.kv.delete = remove
  await tickets.keepAlive()
  t.equal(await engine.kv.get(firstKey), null, 'deleted once the engine is back')
  await t.rejects(tickets.admit(tickets.read(first!)), { message: /unknown, used or expired/ })
})
