import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { createAllowances } from '../src/allowances.js'

t.test('socket places: at most the bound per user, given back one by one', async (t) => {
  const allowances = createAllowances({ maxSocketsPerUser: 2 })
  t.teardown(() => allowances.close())
  t.ok(allowances.takeSocket('ana'))
  t.ok(allowances.takeSocket('ana'))
  t.notOk(allowances.takeSocket('ana'), 'the third is refused')
  t.ok(allowances.takeSocket('bo'), 'per user')
  allowances.releaseSocket('ana')
  t.equal(allowances.sockets('ana'), 1)
  t.ok(allowances.takeSocket('ana'), 'a released place is free again')
  allowances.releaseSocket('nobody')
  t.equal(allowances.sockets('nobody'), 0, 'releasing what was never taken changes nothing')
})

t.test('one reply budget per user, kept while it is in use, forgotten when it is no different from a fresh one', async (t) => {
  const allowances = createAllowances({ maxSocketsPerUser: 5 })
  t.teardown(() => allowances.close())
  const budget = allowances.replies('ana')
  t.equal(allowances.replies('ana'), budget, 'the same budget for every socket and request of the user')
  t.not(allowances.replies('bo'), budget)
  t.ok(allowances.takeSocket('ana'))
  await budget.run(async () => ({ bytes: LIMITS.replyBytesBurst * 2 }))
  t.notOk(budget.ready(), 'in debt')
  allowances.releaseSocket('ana')
  t.equal(allowances.replies('ana'), budget, 'no socket left, but in debt: kept, so that reconnecting does not clear it')
  t.ok(allowances.takeSocket('bo'))
  allowances.releaseSocket('bo')
  t.equal(allowances.size, 1, 'a user with no socket and a full budget is forgotten at once')
})

t.test('a budget with a read under way is not idle', async (t) => {
  const allowances = createAllowances({ maxSocketsPerUser: 5 })
  t.teardown(() => allowances.close())
  const budget = allowances.replies('ana')
  t.ok(budget.idle(), 'fresh: idle')
  let finish: (() => void) | undefined
  const reading = budget.run(async () => await new Promise<{ bytes: number }>((resolve) => { finish = () => resolve({ bytes: 0 }) }))
  t.notOk(budget.idle(), 'a read waiting for its turn')
  while (finish === undefined) await new Promise((resolve) => setImmediate(resolve))
  t.notOk(budget.idle(), 'a read under way')
  finish()
  await reading
  await Promise.resolve()
  t.ok(budget.idle(), 'done, nothing charged: idle again')
})
