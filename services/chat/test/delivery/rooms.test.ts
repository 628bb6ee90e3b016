import type { FastifyBaseLogger } from 'fastify'
import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { Registry } from 'prom-client'
import type { Config } from '../../src/config.js'
import { encodeBody, framePublish } from '../../src/delivery/message-frame.js'
import { createOutbox } from '../../src/delivery/outbox.js'
import { createRooms } from '../../src/delivery/rooms.js'
import { createReader } from '../../src/lifecycle/reader.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { createMetrics } from '../../src/metrics.js'
import { names } from '../../src/names.js'
import { decode, nextTurn, roomOf } from '../helpers/recipients.js'

t.test('a room holds what pub/sub relays between an interrupt and its catch-up: the gap is filled in order', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(() => engine.close())
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const config = { fanoutHoldMs: 0, roomHistory: 500, engineTimeoutMs: 1500 } as Config
  const silent = { info () {}, warn () {}, error () {}, debug () {} } as unknown as FastifyBaseLogger
  const rooms = createRooms({ engine, config, metrics: createMetrics(new Registry()), outbox, log: silent, reader: createReader({ engine, config }) })
  const [, [member]] = roomOf(1)
  await rooms.attach('gap', member!, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 0 })
  const append = async (text: string, published: boolean): Promise<string> => {
    const data = encodeBody({ ts: Date.now(), room: 'gap', user: { id: 'u', name: 'U' }, text })
    const options = { maxLen: 500, sequence: true, ...(published ? { publish: { channel: names.roomChannel('gap'), ...framePublish(data) } } : {}) }
    return (await engine.logs.append(names.roomLog('gap'), data, options)).id
  }
  const ids = [await append('before', true)]
  await nextTurn()
  rooms.interrupt()
  // Published while this instance's subscriber was gone: never relayed here.
  ids.push(await append('lost 1', false), await append('lost 2', false))
  // Relayed after the reconnect, before the catch-up ran: held, or it would hide the two above.
  ids.push(await append('after', true))
  await nextTurn()
  await rooms.catchUp()
  await nextTurn()
  const received = (): string[] => member!.written.flatMap((frame) => decode(frame)).flatMap((text) => {
    const value = JSON.parse(text) as { id: string } | Array<{ id: string }>
    return (Array.isArray(value) ? value : [value]).map((m) => m.id)
  })
  t.same(received(), ids, 'every message once, in log order')

  // Lost again while catching up: what comes after the second reconnect waits for the second catch-up.
  rooms.interrupt()
  const first = rooms.catchUp()
  rooms.interrupt()
  await first
  ids.push(await append('lost 3', false), await append('after 2', true))
  await nextTurn()
  await rooms.catchUp()
  await nextTurn()
  t.same(received(), ids, 'a second outage during the catch-up loses nothing either')
  await rooms.close()
})
