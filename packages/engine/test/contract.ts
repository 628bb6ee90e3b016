import type { Test } from 'tap'
import { changesContract } from './contract/changes.js'
import { countersContract } from './contract/counters.js'
import { kvContract } from './contract/kv.js'
import { logsContract } from './contract/logs.js'
import { mapsContract } from './contract/maps.js'
import { presenceContract } from './contract/presence.js'
import { pubsubContract } from './contract/pubsub.js'
import { queueDeadLettersContract } from './contract/queue-dead-letters.js'
import { queuesContract } from './contract/queues.js'
import { setupWith, type MakeEngine } from './contract/support.js'

export type { MakeEngine } from './contract/support.js'

/** The semantics every engine keeps; each test gets a fresh engine from `makeEngine`. */
export function engineContract (t: Test, name: string, makeEngine: MakeEngine): void {
  t.test(`${name} engine contract`, async (t) => {
    const setup = setupWith(makeEngine)
    kvContract(t, setup)
    countersContract(t, setup)
    pubsubContract(t, setup)
    logsContract(t, setup)
    changesContract(t, setup)
    presenceContract(t, setup)
    mapsContract(t, setup)
    queuesContract(t, setup)
    queueDeadLettersContract(t, setup)
    t.test('readiness and close', async (t) => {
      const engine = await makeEngine()
      t.equal(engine.kind, name)
      t.equal(engine.isReady(), true)
      await engine.ping()
      await engine.close()
      t.equal(engine.isReady(), false, 'not ready once closed')
      await t.rejects(engine.kv.get('a'), { name: 'EngineUnavailableError', code: 'ENGINE_UNAVAILABLE' })
      await t.rejects(engine.ping(), { name: 'EngineUnavailableError' })
      await engine.close()
      t.pass('close twice is harmless')
    })
  })
}
