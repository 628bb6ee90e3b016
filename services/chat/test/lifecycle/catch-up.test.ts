import type { FastifyBaseLogger } from 'fastify'
import t from 'tap'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import { Registry } from 'prom-client'
import type { Config } from '../../src/config.js'
import { createOutbox } from '../../src/delivery/outbox.js'
import { createRooms } from '../../src/delivery/rooms.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { createMessages } from '../../src/delivery/messages.js'
import { createChanges } from '../../src/lifecycle/changes.js'
import { NO_WEBHOOKS } from '../../src/hooks/webhooks/emitter.js'
import { createReader } from '../../src/lifecycle/reader.js'
import type { Membership } from '../../src/membership/service.js'
import { createMetrics } from '../../src/metrics.js'
import { decode, nextTurn, roomOf } from '../helpers/recipients.js'

/**
 * Pub/sub lost while changes were made: the catch-up from the room's log relays each change as a
 * `change` frame, in log order, with the state of its message now (delivery/rooms.ts readGap).
 */
t.test('a catch-up relays the changes it finds in the log as change frames with their message\'s state now', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(() => engine.close())
  const config = { fanoutHoldMs: 0, roomHistory: 500, engineTimeoutMs: 1500, editWindowMinutes: 15 } as Config
  const reader = createReader({ engine, config })
  // What the changes write while this instance's subscriber is gone: stored, never relayed here.
  let publishing = true
  const lossy: Engine = { ...engine, logs: { ...engine.logs, change: async (log, data, options, guard) => await engine.logs.change(log, data, publishing ? options : { ...options, publish: undefined }, guard) } }
  const owner = { roles: async (_room: string, users: string[]) => users.map(() => 'owner') } as unknown as Membership
  const changes = createChanges({ engine: lossy, config, reader, membership: owner, webhooks: NO_WEBHOOKS })
  const messages = createMessages({ engine, config, reader, webhooks: NO_WEBHOOKS })
  const silent = { info () {}, warn () {}, error () {}, debug () {} } as unknown as FastifyBaseLogger
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const rooms = createRooms({ engine, config, metrics: createMetrics(new Registry()), outbox, log: silent, reader })
  const [, [member]] = roomOf(1)
  await rooms.attach('gap', member!, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 0 })
  const ada = { id: 'ada', name: 'Ada' }
  const received = (): Array<Record<string, unknown>> => member!.written.flatMap((frame) => decode(frame)).flatMap((text) => {
    const value = JSON.parse(text) as Record<string, unknown> | Array<Record<string, unknown>>
    return Array.isArray(value) ? value : [value]
  })

  const [a, b, c] = [(await messages.append('gap', ada, 'a')).id, (await messages.append('gap', ada, 'b')).id, (await messages.append('gap', ada, 'c')).id]
  await nextTurn()
  rooms.interrupt()
  publishing = false
  const lost = [
    await changes.edit('gap', ada, a, 'a1', 'x1'),
    await changes.react('gap', ada, b, '👍', false, 'x2'),
    await changes.edit('gap', ada, a, 'a2', 'x3'),
    await changes.edit('gap', ada, c, 'c1', 'x4'),
    await changes.remove('gap', ada, c, 'x5')
  ]
  publishing = true
  await nextTurn()
  await rooms.catchUp()
  await nextTurn()
  const got = received().slice(3)
  // The edit of c was made moot by its deletion: the catch-up says only that c is gone.
  t.same(got.map((f) => [f.type, f.id]), [lost[0], lost[1], lost[2], lost[4]].map((id) => ['change', id]), 'each change once, in log order')
  t.match(got, [
    { kind: 'edit', target: a, text: 'a2' },
    { kind: 'reaction', target: b, emoji: '👍', reactions: [{ emoji: '👍', users: [ada] }] },
    { kind: 'edit', target: a, text: 'a2' },
    { kind: 'delete', target: c }
  ])
  t.notOk(JSON.stringify(got).includes('c1'), 'nothing of what the deleted message said')

  // Live again: a change published now arrives once, after the caught-up ones.
  const live = await changes.react('gap', ada, a, '🎉', false, 'x6')
  await nextTurn()
  t.same(received().slice(3).map((f) => f.id), [lost[0], lost[1], lost[2], lost[4], live])
  await rooms.close()
})
