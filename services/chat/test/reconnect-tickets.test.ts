import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { loadConfig } from '../src/config.js'
import { createReconnectTickets, TICKET_PREFIX, type TicketHolder } from '../src/reconnect-tickets.js'

const holder = (): TicketHolder => ({
  id: 'c1', user: { id: 'u1', name: 'Ana' }, sid: 's1', expiresAt: Date.now() + 60_000, ticketKey: null, onTicket: false
})

t.test('a ticket the engine cannot store is left out and logged, without its key or text', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  engine.kv.set = async () => { throw new Error('engine down') }
  const warnings: Array<{ fields: Record<string, unknown>, msg: string }> = []
  const tickets = createReconnectTickets({
    config: loadConfig({}),
    engine,
    tokens: { revoked: async () => false },
    log: { warn: (fields: Record<string, unknown>, msg: string) => { warnings.push({ fields, msg }) } } as never
  })
  const h = holder()
  t.equal(await tickets.issue(h), undefined, 'no ticket, no rejection')
  t.equal(h.ticketKey, null, 'the holder keeps no key of a ticket never stored')
  t.equal(warnings.length, 1)
  t.match(warnings[0], { fields: { connectionId: 'c1', userId: 'u1' }, msg: 'reconnect ticket not issued' })
  t.notOk(JSON.stringify(Object.keys(warnings[0]!.fields)).includes('ticket'), 'nothing of a ticket in the fields')
})

t.test('a stored ticket opens once', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  const tickets = createReconnectTickets({ config: loadConfig({}), engine, tokens: { revoked: async () => false }, log: { warn: () => {} } as never })
  const h = holder()
  const ticket = await tickets.issue(h)
  t.ok(ticket?.startsWith(TICKET_PREFIX))
  const claims = await tickets.admit(tickets.read(ticket!))
  t.match(claims, { sub: 'u1', sid: 's1', name: 'Ana' })
  await t.rejects(tickets.admit(tickets.read(ticket!)), { code: 'WEBCHAT_ERR_INVALID_TOKEN', message: /used or expired/ }, 'the second use is refused')
})
