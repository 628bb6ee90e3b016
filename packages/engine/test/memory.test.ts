import t from 'tap'
import { createMemoryEngine, EngineUnavailableError } from '../src/index.js'
import { engineContract } from './contract.js'
import { sleep } from './contract/support.js'

engineContract(t, 'memory', async (options) => createMemoryEngine(options))

t.test('memory: maxKeys bounds every kind of state, evicting the oldest written', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 4 })
  t.teardown(() => engine.close())
  await engine.kv.set('a', '1')
  await engine.counters.increment('b', 10_000)
  await engine.logs.append('c', 'x', { maxLen: 10 })
  await engine.presence.add('d', 'm', 'v', 10_000)
  await engine.kv.set('e', '5')
  t.equal(await engine.kv.get('a'), null, 'the oldest went')
  t.equal(await engine.counters.get('b'), 1)
  await engine.logs.append('c', 'y', { maxLen: 10 })
  await engine.kv.set('f', '6')
  t.equal(await engine.counters.get('b'), 0, 'then the next oldest')
  t.equal((await engine.logs.info('c')).length, 2, 'a log written to moves to the newest')
  t.equal(await engine.kv.get('e'), '5')
})

t.test('memory: a full store evicts expired entries first', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 3 })
  t.teardown(() => engine.close())
  await engine.kv.set('oldest', '1')
  await engine.kv.set('short', '2', 50)
  await engine.kv.set('newer', '3')
  await sleep(120)
  await engine.kv.set('new', '4')
  t.equal(await engine.kv.get('oldest'), '1', 'the oldest live entry stays')
  t.equal(await engine.kv.get('newer'), '3')
  t.equal(await engine.kv.get('new'), '4')
})

t.test('memory: log ids keep increasing when the clock goes backwards', async (t) => {
  let clock = 5000
  const engine = createMemoryEngine({ now: () => clock })
  t.teardown(() => engine.close())
  const append = async (): Promise<string> => (await engine.logs.append('room', 'x', { maxLen: 10 })).id
  t.equal(await append(), '5000-0')
  t.equal(await append(), '5000-1', 'same ms: next seq')
  clock = 4000
  t.equal(await append(), '5000-2', 'an earlier clock keeps the last ms')
  clock = 6000
  t.equal(await append(), '6000-0', 'a later ms restarts seq')
})

t.test('memory: onResume and onInterrupt never fire; a closed engine refuses calls', async (t) => {
  const engine = createMemoryEngine({ sweepIntervalMs: 10 })
  let told = 0
  const offResume = engine.pubsub.onResume(() => { told++ })
  const offInterrupt = engine.pubsub.onInterrupt(() => { told++ })
  await sleep(50)
  offResume()
  offInterrupt()
  t.equal(told, 0)
  await engine.close()
  await t.rejects(engine.logs.append('r', 'x', { maxLen: 1 }), EngineUnavailableError)
  await t.rejects(engine.pubsub.subscribe('c', () => {}), EngineUnavailableError)
})
