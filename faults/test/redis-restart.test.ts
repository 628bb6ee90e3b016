import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { account, total } from '../src/accounting.js'
import type { ChatClient, Shown } from '../src/chat-client.js'
import { openCrowd } from '../src/crowd.js'
import { percentile, report } from '../src/figures.js'
import { eventually, waitForStatus } from '../src/http.js'
import { createRedisServer } from '../src/redis-server.js'
import { readRoomLog } from '../src/room-log.js'
import { startStack } from '../src/stack.js'
import { sentAtOf, startTraffic } from '../src/traffic.js'

const ROOM = 'restart'
/** The quick run: a 3 s outage; the full run (FAULTS_FULL=1) also a 10 s one. */
const OUTAGES = process.env.FAULTS_FULL === '1' ? [3000, 10_000] : [3000]

/**
 * Redis is SIGKILLed mid-chat and started again 3 s later, while 4 clients (2 per instance)
 * send 5 messages a second each (20 a second in all, each with a clientMsgId).
 */
async function restartScenario (t: Test, persistence: 'aof' | 'none', outageMs: number): Promise<void> {
  const redis = await createRedisServer({ persistence })
  await redis.start()
  const stack = await startStack(t, { redis })
  const clients = await openCrowd(t, stack, { size: 4, rooms: [ROOM], label: `r${persistence}${outageMs}` })
  const traffic = startTraffic({ clients, room: ROOM, rate: 5 })
  t.teardown(() => { traffic.stop() })

  await sleep(3000)
  const downAt = Date.now()
  await redis.stop('SIGKILL')
  await sleep(outageMs)
  await redis.start()
  const upAt = Date.now()

  // Delivery resumes: every client shows a message sent after Redis came back.
  const firstAfter = (client: ChatClient): Shown | undefined =>
    client.shown.find((s) => s.room === ROOM && (sentAtOf(s.text) ?? 0) >= upAt)
  const [readyMs, resumed] = await Promise.all([
    Promise.all(stack.chats.map(async (chat) => await waitForStatus(`${chat.url}/readyz`, 200, 15_000))),
    Promise.all(clients.map(async (client) => {
      const back = await eventually(() => firstAfter(client) !== undefined || client.conn.state.state === 'ended', 15_000, `${client.name} receives again`)
        .then(() => firstAfter(client) !== undefined, () => false)
      return back ? firstAfter(client)!.at - upAt : undefined
    }))
  ])
  await sleep(2000)
  traffic.stop()
  await traffic.settled(25_000)

  const token = await stack.token(await stack.signIn(`reader-${persistence}-${outageMs}@example.com`))
  // Catch-up: every client shows every acked message (or, without persistence, the log has it).
  const caughtUp = await eventually(async () => {
    const log = await readRoomLog(stack.chats[0]!.url, token, ROOM)
    return total(account(traffic.records, clients, ROOM, log, { shownOrInLog: persistence === 'none' }).lost) === 0
  }, 10_000, 'clients caught up').catch(() => -1)
  const log = await readRoomLog(stack.chats[0]!.url, token, ROOM)
  const result = account(traffic.records, clients, ROOM, log, { shownOrInLog: persistence === 'none' })

  const during = traffic.records.filter((r) => r.sentAt >= downAt && r.sentAt < upAt)
  const answerMs = during.map((r) => Math.min(r.ackAt ?? Infinity, r.firstErrorAt ?? Infinity) - r.sentAt)
  const silent = during.filter((r, i) => !Number.isFinite(answerMs[i]!))
  const errored = during.filter((r) => r.firstErrorCode !== undefined)
  const retriedThenStored = traffic.records.filter((r) => r.firstErrorCode !== undefined && r.id !== undefined)

  for (const proc of stack.procs().filter((p) => p.name !== 'redis')) t.equal(proc.exit, undefined, `${proc.name} never exited`)
  t.ok(during.length >= (outageMs / 1000) * 15, `${during.length} sends during the ${outageMs} ms outage`)
  t.same(silent.map((r) => r.clientMsgId), [], 'no send during the outage met silence')
  t.ok(Math.max(...answerMs) <= 2000, `every send during the outage answered within 2 s (slowest ${Math.max(...answerMs)} ms)`)
  const codes = new Set(errored.map((r) => r.firstErrorCode))
  t.same([...codes], ['unavailable'], 'refused with `unavailable` only: the client paces its retries below the send limit')
  const abused = clients.filter((c) => c.closes.includes(1008))
  t.same(abused.map((c) => c.name), [], 'no client was closed as abusive (1008) for retrying its sends')
  const stuck = clients.filter((_c, i) => resumed[i] === undefined)
  t.same(stuck.map((c) => `${c.name}: ${JSON.stringify(c.conn.state)}, closes ${JSON.stringify(c.closes)}`), [], 'delivery resumed on every client')
  const resumedMs = resumed.filter((ms): ms is number => ms !== undefined)
  if (resumedMs.length > 0) t.ok(Math.max(...resumedMs) <= 7000, `delivery resumed within 7 s of Redis coming back (${resumedMs.join(', ')} ms)`)
  t.ok(result.acked >= 50, `${result.acked} messages acknowledged`)
  t.same(result.lost, Object.fromEntries(clients.map((c) => [c.name, []])), '0 acknowledged messages lost')
  t.same(result.shownTwice, Object.fromEntries(clients.map((c) => [c.name, []])), '0 shown twice')
  t.same(result.storedTwice, [], 'every clientMsgId stored once')
  if (persistence === 'aof') {
    t.same(result.missingFromLog, [], 'with AOF every acknowledged message is still in the log')
    t.ok(clients.every((c) => c.joins.every((j) => j.recovered || j.at < downAt)), 'no client had to start over')
  }
  t.ok(caughtUp >= 0, 'clients caught up')
  report(t, `redis-restart-${persistence}-${outageMs / 1000}s`, {
    outageMs: outageMs,
    sendsDuringOutage: during.length,
    refusedUnavailable: errored.filter((r) => r.firstErrorCode === 'unavailable').length,
    refusedRateLimited: errored.filter((r) => r.firstErrorCode === 'rate_limited').length,
    answerP99Ms: percentile(answerMs, 99),
    answerMaxMs: Math.max(...answerMs),
    resumeMaxMs: resumedMs.length > 0 ? Math.max(...resumedMs) : 'none',
    closed1008: abused.length,
    notResumed: stuck.length,
    readyAfterMs: Math.max(...readyMs),
    acked: result.acked,
    retriedThenStored: retriedThenStored.length,
    failed: traffic.records.filter((r) => r.failed !== undefined).length,
    lost: total(result.lost),
    shownTwice: total(result.shownTwice),
    storedTwice: result.storedTwice.length,
    missingFromLog: result.missingFromLog.length,
    logLength: log.length
  })
}

for (const outage of OUTAGES) {
  t.test(`Redis (appendonly, as in compose) SIGKILLed mid-chat, restarted after ${outage / 1000} s`, async (t) => {
    await restartScenario(t, 'aof', outage)
  })

  t.test(`Redis without persistence SIGKILLed mid-chat, restarted after ${outage / 1000} s: the data is gone`, async (t) => {
    await restartScenario(t, 'none', outage)
  })
}
