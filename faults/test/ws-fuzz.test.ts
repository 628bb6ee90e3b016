import { setTimeout as sleep } from 'node:timers/promises'
import fc from 'fast-check'
import t from 'tap'
import { openBystanders } from '../src/bystanders.js'
import { percentile, report } from '../src/figures.js'
import { fuzzFrame, type Fuzz } from '../src/fuzz-frames.js'
import { fuzzOnce, type Outcome } from '../src/fuzz-run.js'
import { jsonLines } from '../src/process.js'
import { connectRaw, upgrade } from '../src/raw-client.js'
import { startStack } from '../src/stack.js'
import { pool } from '@webchat/testkit'

const FRAMES = Number(process.env.FAULTS_FUZZ_FRAMES ?? (process.env.FAULTS_FULL === '1' ? 50_000 : 10_000))
const BATCH = 25
const PARALLEL = 12
const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 2 ** 31)

t.test(`WebSocket fuzzing: ${FRAMES} generated hostile frames (seed ${SEED})`, async (t) => {
  // One attacker opens a fresh socket per batch (about 1,200 sockets), each with its own token:
  // past the per-user mint limit, which is not what this test is about.
  const stack = await startStack(t, { authEnv: { TOKEN_MINT_MAX: '100000' } })
  const { traffic, latenciesBetween } = await openBystanders(t, stack, { size: 2, room: 'by', label: 'by' })
  const attacker = await stack.signIn('mallory@example.com', 'Mallory')

  // Batches of frames generated up front from the seed (reproducible with FAULTS_SEED).
  const batches = fc.sample(fc.array(fuzzFrame, { minLength: BATCH, maxLength: BATCH }), { numRuns: Math.ceil(FRAMES / 5), seed: SEED })
  let sent = 0
  let sockets = 0
  const outcomes: Outcome[] = []
  const started = Date.now()
  let next = 0
  await pool(PARALLEL, PARALLEL, async () => {
    while (sent < FRAMES && next < batches.length) {
      const batch: Fuzz[] = batches[next++]!
      const chat = stack.chats[next % stack.chats.length]!
      const client = await connectRaw(chat.wsUrl, { token: await stack.token(attacker) })
      sockets++
      try {
        for (const [i, fuzz] of batch.entries()) {
          if (sent >= FRAMES) break
          sent++
          const outcome = await fuzzOnce(client, fuzz, `zz-probe-${i}`)
          outcomes.push(outcome)
          if (outcome.closed !== undefined || outcome.wrong !== undefined) break
        }
      } finally {
        client.close()
      }
    }
  })
  const fuzzMs = Date.now() - started
  await sleep(500)
  traffic.stop()
  await traffic.settled(15_000)

  const wrong = outcomes.filter((o) => o.wrong !== undefined)
  t.equal(outcomes.length, FRAMES, `${outcomes.length} frames sent over ${sockets} sockets in ${fuzzMs} ms`)
  t.same(wrong.slice(0, 5).map((o) => ({ wrong: o.wrong, fuzz: JSON.stringify(o.fuzz).slice(0, 300) })), [], 'every frame answered by the documented error or close code')
  const closes: Record<string, number> = {}
  for (const o of outcomes) if (o.closed !== undefined) closes[o.closed] = (closes[o.closed] ?? 0) + 1
  const kinds: Record<string, number> = {}
  for (const o of outcomes) kinds[o.fuzz.kind] = (kinds[o.fuzz.kind] ?? 0) + 1
  t.ok(Object.keys(kinds).length === 5, `every kind generated: ${JSON.stringify(kinds)}`)
  t.comment(`closes: ${JSON.stringify(closes)}`)

  // Abuse: sustained refused frames close the socket with 1008.
  const abuser = await connectRaw(stack.chats[0]!.wsUrl, { token: await stack.token(attacker) })
  for (let i = 0; i < 45; i++) abuser.ws.send('not json')
  t.equal((await abuser.closed).code, 1008, 'more than 40 refused frames in 10 s: 1008')

  // No prototype pollution: behaviour that an inherited since/limit/clientMsgId/ALLOW_NO_ORIGIN would change.
  for (const chat of stack.chats) {
    const probe = await connectRaw(chat.wsUrl, { token: await stack.token(attacker) })
    probe.ws.send(JSON.stringify({ type: 'join', room: 'by' }))
    const joined = await probe.waitFor((f) => f.type === 'joined')
    t.equal(joined.recovered, false, `${chat.name}: a join without since is no resume`)
    t.ok((joined.messages as unknown[]).length > 1, `${chat.name}: and gets the latest page`)
    probe.ws.send(JSON.stringify({ type: 'history', room: 'by', before: '99999999999999-0' }))
    const page = await probe.waitFor((f) => f.type === 'history')
    t.ok((page.messages as unknown[]).length > 1, `${chat.name}: history without limit uses the default`)
    probe.ws.send(JSON.stringify({ type: 'send', room: 'by', text: 'no id' }))
    t.match(await probe.waitFor((f) => f.type === 'error'), { code: 'bad_frame' }, `${chat.name}: clientMsgId still required`)
    probe.close()
    const noOrigin = await upgrade(chat.wsUrl, { token: await stack.token(attacker), origin: null })
    t.equal(noOrigin.status, 403, `${chat.name}: an upgrade without Origin is still refused`)
  }

  const during = latenciesBetween(started, started + fuzzMs)
  t.equal(traffic.records.filter((r) => r.failed !== undefined).length, 0, 'bystanders: no send failed')
  t.ok(during.length > 10, `bystanders kept receiving (${during.length} messages during the fuzzing)`)
  for (const proc of stack.procs()) {
    t.equal(proc.exit, undefined, `${proc.name}: 0 crashes`)
    const failures = jsonLines(proc).filter((l) => typeof l.level === 'number' && l.level >= 50)
    t.same(failures.map((l) => l.msg), [], `${proc.name}: no error logged`)
  }
  report(t, 'ws-fuzz', {
    seed: SEED,
    frames: outcomes.length,
    sockets,
    fuzzMs,
    wrong: wrong.length,
    closes1002: closes[1002] ?? 0,
    closes1007: closes[1007] ?? 0,
    closes1008: closes[1008] ?? 0,
    closes1009: closes[1009] ?? 0,
    bystanderP99Ms: percentile(during, 99)
  })
})
