import t, { type Test } from 'tap'
import { createMemoryEngine, EngineUnavailableError } from '@webchat/engine'
import { followLogouts } from '../../src/connection/logouts.js'
import { names } from '../../src/names.js'

/** One session id per logout bucket. */
function sidPerBucket (): string[] {
  const sids: string[] = []
  for (let i = 0; sids.filter((s) => s !== undefined).length < names.sessionRevokedBuckets; i++) sids[names.revocationBucketOf(`sid-${i}`)] ??= `sid-${i}`
  return sids
}

function fixture (t: Test) {
  const engine = createMemoryEngine()
  t.teardown(async () => { await engine.close() })
  const ended: string[] = []
  const errors: unknown[] = []
  const open = new Set<string>()
  const connections = {
    endSession: (sid: string) => { ended.push(sid); return open.delete(sid) ? 1 : 0 },
    sessionIds: () => open.values()
  }
  const log = { info: () => {}, warn: () => {}, error: (obj: unknown) => { errors.push(obj) } }
  return { engine, ended, errors, connections, log, open }
}

t.test('follows the logouts of every bucket, and stops', async (t) => {
  const { engine, ended, connections, log } = fixture(t)
  const stop = await followLogouts({ engine, connections, log })
  const sids = sidPerBucket()
  for (const sid of sids) await engine.pubsub.publish(names.sessionRevokedChannel(names.revocationBucketOf(sid)), sid)
  t.same(ended.sort(), [...sids].sort(), 'a logout in any bucket ends its session')
  await engine.pubsub.publish(names.legacySessionRevokedChannel, 'from-an-older-auth')
  t.ok(ended.includes('from-an-older-auth'), 'so does one on the channel an older auth publishes on (chat is upgraded first)')
  await stop()
  await engine.pubsub.publish(names.sessionRevokedChannel(0), 'late')
  t.notOk(ended.includes('late'), 'nothing after stop')
})

t.test('a bucket whose subscription fails is retried until it holds; the others are kept meanwhile', async (t) => {
  const { engine, ended, errors, connections, log } = fixture(t)
  const broken = names.sessionRevokedChannel(3)
  let failures = 2
  const subscribe = engine.pubsub.subscribe.bind(engine.pubsub)
  const attempts = new Map<string, number>()
  engine.pubsub.subscribe = async (channel, handler) => {
    attempts.set(channel, (attempts.get(channel) ?? 0) + 1)
    if (channel === broken && failures-- > 0) throw new EngineUnavailableError('down')
    return await subscribe(channel, handler)
  }
  const started = Date.now()
  const stop = await followLogouts({ engine, connections, log })
  t.teardown(stop)
  t.ok(Date.now() - started < 1000, 'start does not wait for the retries')
  const sids = sidPerBucket()
  await engine.pubsub.publish(names.sessionRevokedChannel(3), sids[3]!)
  t.same(ended, [], 'the broken bucket is not followed yet')
  // The third attempt (1 s after the second) is made and resolves.
  while (failures >= 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 20))
  await engine.pubsub.publish(names.sessionRevokedChannel(3), sids[3]!)
  await engine.pubsub.publish(names.sessionRevokedChannel(4), sids[4]!)
  t.same(ended, [sids[3], sids[4]], 'followed once it holds, the others all along')
  t.equal(attempts.get(broken), 3, 'the broken bucket: three attempts')
  t.equal(attempts.get(names.sessionRevokedChannel(4)), 1, 'the others: one subscription each, never again')
  t.equal(errors.length, 2, 'one error line per failed round, not per bucket')
})

t.test('a logout missed while a bucket was lost: its open sessions are checked against the revocation keys when it is back', async (t) => {
  const { engine, ended, connections, log, open } = fixture(t)
  const resumes: Array<(scope?: ReadonlySet<string>) => void> = []
  engine.pubsub.onResume = (listener) => { resumes.push(listener); return () => {} }
  const stop = await followLogouts({ engine, connections, log })
  t.teardown(stop)
  const [a, b, c] = sidPerBucket()
  for (const sid of [a!, b!, c!]) open.add(sid)
  // a and b were logged out while nobody heard it; c was not.
  for (const sid of [a!, b!]) await engine.kv.set(names.revokedSession(sid), '1', 60_000)
  const resumed = async (scope?: ReadonlySet<string>): Promise<void> => {
    for (const listener of resumes) listener(scope)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await resumed(new Set([names.sessionRevokedChannel(names.revocationBucketOf(a!)), 'room:other']))
  t.same(ended, [a], 'the bucket that came back: its revoked session ends')
  await resumed(new Set(['room:other']))
  t.same(ended, [a], 'a resume of other channels checks nothing')
  await resumed()
  t.same(ended, [a, b], 'every channel back: every open session checked, the revoked one ends')
  t.ok(open.has(c!), 'a session not logged out stays')
})
