import t from 'tap'
import type { Engine } from '@webchat/engine'
import { createInboxStore } from '../../src/inbox/store.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { appendMessage } from '../helpers/inbox.js'

const ROOMS = 500
const DELAY_MS = 40

/**
 * `engine` with each call of its logs, kv and maps counted and answered `DELAY_MS` late, as over
 * a slow network: calls made one after another would take ROOMS × DELAY_MS, calls issued at once
 * a few DELAY_MS whatever their number.
 */
function slowCounted (engine: Engine): { engine: Engine, calls: () => number } {
  let calls = 0
  const wrap = <T extends object>(part: T): T => new Proxy(part, {
    get (target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        calls++
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS))
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
      }
    }
  })
  return { engine: { ...engine, logs: wrap(engine.logs), kv: wrap(engine.kv), maps: wrap(engine.maps) }, calls: () => calls }
}

for (const kind of ENGINES) {
  t.test(`${kind}: a list of ${ROOMS} rooms costs O(rooms) engine calls in a bounded number of round trips`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1 })
    const config = cluster.configs[0]!
    const rooms = Array.from({ length: ROOMS }, (_, i) => `r${i}`)
    // Room i has 1 + i % 3 messages from Bob; every tenth mentions Ada.
    await Promise.all(rooms.map(async (room, i) => {
      for (let n = 0; n <= i % 3; n++) await appendMessage(cluster.engine, config, room, { id: 'bob', name: 'Bob' }, `m${n}`, { mentions: i % 10 === 0 ? ['ada'] : [] })
    }))
    const { engine, calls } = slowCounted(cluster.engine)
    const store = createInboxStore({ engine, config })
    const started = Date.now()
    const entries = await store.entries('ada', rooms)
    const elapsed = Date.now() - started
    t.ok(calls() <= 4 * ROOMS + 1, `${calls()} engine calls for ${ROOMS} rooms (at most 4 a room and 1 for the user)`)
    t.ok(elapsed < 15 * DELAY_MS, `${elapsed} ms with ${DELAY_MS} ms a call: a few round trips, not ${ROOMS}`)
    t.match(entries[0], { seq: 1, unread: 1, mentions: 1 })
    t.match(entries[2], { seq: 3, unread: 3, mentions: 0, last: { preview: 'm2' } })
    t.equal(entries.reduce((sum, entry) => sum + entry.unread, 0), rooms.reduce((sum, _, i) => sum + 1 + (i % 3), 0), 'every message counted')
  })
}
