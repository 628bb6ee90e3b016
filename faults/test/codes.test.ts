import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { report } from '../src/figures.js'
import { http, type HttpAnswer } from '../src/http.js'
import { PUBLIC_ORIGIN, startStack, type Stack } from '../src/stack.js'
import { pool } from '@webchat/testkit'

const headers = { origin: PUBLIC_ORIGIN }
/** Client address i (Linux routes all of 127.0.0.0/8 to loopback): one "IP" per value. */
const ip = (i: number): string => `127.0.${1 + Math.floor(i / 200)}.${2 + (i % 200)}`
const sessionOf = (answer: HttpAnswer): boolean =>
  answer.status === 200 || [answer.headers['set-cookie'] ?? []].flat().some((c) => c.startsWith('webchat_session=') && !/max-age=0|expires=thu, 01 jan 1970/i.test(c))

async function requestCode (stack: Stack, email: string, from = ip(0)): Promise<HttpAnswer> {
  return await http(`${stack.auth.url}/auth/code`, { body: { email }, headers, localAddress: from })
}
async function guess (stack: Stack, email: string, code: string, from = ip(0)): Promise<HttpAnswer> {
  return await http(`${stack.auth.url}/auth/verify`, { body: { email, code }, headers, localAddress: from })
}
/** A code that is not `right` (never equal, so that the test is deterministic). */
const wrong = (right: string, n: number): string => String((Number(right) + 1 + n * 7919) % 1_000_000).padStart(6, '0')

t.test('codes under guessing, races, expiry and resend', async (t) => {
  const stack = await startStack(t, { chats: 0 })

  t.test('1,000 guesses from 50 addresses at 50 accounts: no session, even knowing the code from the 6th on', async (t) => {
    const victims = Array.from({ length: 50 }, (_, i) => `victim-${i}@example.com`)
    await pool(victims.length, 10, async (i) => {
      const answer = await requestCode(stack, victims[i]!, ip(100 + i))
      if (answer.status !== 202) throw new Error(`code request ${i}: ${answer.status} ${answer.text}`)
    })
    const right = await Promise.all(victims.map(async (v) => await stack.sink.codeFor(v, 10_000)))
    // 20 guesses per account, each from another address: 5 wrong, then the right code now and then.
    const plan = Array.from({ length: 1000 }, (_, k) => {
      const victim = k % 50
      const nth = Math.floor(k / 50)
      return { victim, nth, from: ip((victim + nth) % 50), code: nth >= 5 && nth % 3 === 2 ? right[victim]! : wrong(right[victim]!, nth) }
    })
    const answers: HttpAnswer[] = []
    // In rounds: every account's nth guess before any (n+1)th.
    for (let nth = 0; nth < 20; nth++) {
      const round = plan.filter((p) => p.nth === nth)
      answers.push(...await pool(round.length, 25, async (i) => await guess(stack, victims[round[i]!.victim]!, round[i]!.code, round[i]!.from)))
    }
    const statuses: Record<number, number> = {}
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1
    const sessions = answers.filter(sessionOf).length
    // Rounds keep the plan's order: answer i is the answer to plan[i].
    const rightAnswers = answers.filter((_, i) => plan[i]!.code === right[plan[i]!.victim])
    t.equal(answers.length, 1000, '1,000 guesses')
    t.equal(sessions, 0, 'no session')
    t.ok(Object.keys(statuses).every((s) => ['401', '410', '429'].includes(s)), `statuses ${JSON.stringify(statuses)}`)
    t.ok(rightAnswers.length >= 250 && rightAnswers.every((a) => a.status === 410 || a.status === 429), `${rightAnswers.length} right guesses after the 5th all refused`)
    t.equal(answers.filter((a) => a.status === 500).length, 0, 'never a 500')
    const lines = stack.procs().flatMap((p) => p.lines())
    t.same(lines.filter((l) => victims.some((v) => l.includes(v)) || right.some((c) => l.includes(`"${c}"`) || l.includes(` ${c}`))), [], 'no address or code in any log line')
    report(t, 'codes-guessing', { guesses: answers.length, addresses: 50, accounts: 50, sessions, rightButLate: rightAnswers.length, ...Object.fromEntries(Object.entries(statuses).map(([s, n]) => [`status${s}`, n])) })
  })

  t.test('one address guessing fast is cut off by the per-address limit', async (t) => {
    const from = ip(150)
    const answers = await pool(101, 10, async (i) => (await guess(stack, `nobody-${i}@example.com`, '123456', from)).status)
    t.equal(answers.filter((s) => s === 429).length, 1, 'the 101st check within the window: 429')
    t.ok(answers.every((s) => s === 410 || s === 429), 'the others: no code to check (410)')
  })

  t.test('the 6th guess fails even when right', async (t) => {
    const email = 'sixth@example.com'
    t.equal((await requestCode(stack, email, ip(60))).status, 202)
    const code = await stack.sink.codeFor(email)
    const answers = []
    for (let i = 0; i < 5; i++) answers.push((await guess(stack, email, wrong(code, i), ip(61))).status)
    t.same(answers, [401, 401, 401, 401, 401], 'five wrong guesses')
    const sixth = await guess(stack, email, code, ip(61))
    t.equal(sixth.status, 410, 'the right code as 6th guess: 410')
    t.match(sixth.json, { error: 'code_expired' })
    t.notOk(sessionOf(sixth), 'no session')
  })

  t.test('50 parallel submissions of the right code: exactly one session', async (t) => {
    const email = 'race@example.com'
    t.equal((await requestCode(stack, email, ip(70))).status, 202)
    const code = await stack.sink.codeFor(email)
    const answers = await Promise.all(Array.from({ length: 50 }, async (_, i) => await guess(stack, email, code, ip(i))))
    const won = answers.filter(sessionOf)
    t.equal(won.length, 1, 'exactly one session')
    t.ok(answers.filter((a) => !sessionOf(a)).every((a) => a.status === 410), 'the others: 410 code_expired')
    t.equal((await guess(stack, email, code, ip(71))).status, 410, 'used: it fails afterwards too')
    report(t, 'codes-race', { parallel: 50, sessions: won.length })
  })
})

t.test('codes after their TTL or after a resend', async (t) => {
  const stack = await startStack(t, { chats: 0, authEnv: { CODE_TTL: '2', CODE_COOLDOWN: '0' } })

  const late = 'late@example.com'
  t.equal((await requestCode(stack, late)).status, 202)
  const code = await stack.sink.codeFor(late)
  await sleep(2500)
  const expired = await guess(stack, late, code)
  t.equal(expired.status, 410, 'after its TTL: 410')
  t.notOk(sessionOf(expired))

  const resent = 'resent@example.com'
  t.equal((await requestCode(stack, resent)).status, 202)
  const first = await stack.sink.codeFor(resent)
  stack.sink.mails.length = 0
  t.equal((await requestCode(stack, resent)).status, 202, 'resend')
  const second = await stack.sink.codeFor(resent)
  if (first === second) t.comment('the two codes happen to be equal (1 in a million): the first-code check is moot')
  else {
    const old = await guess(stack, resent, first)
    t.not(old.status, 200, `the first code after a resend: ${old.status}`)
    t.notOk(sessionOf(old))
  }
  const ok = await guess(stack, resent, second)
  t.equal(ok.status, 200, 'the new code works')
  t.ok(sessionOf(ok))
})
