import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LIMITS, SIGN_IN_COOKIE } from '@webchat/shared'
import { report } from '../src/figures.js'
import { cookieOf, http, type HttpAnswer } from '../src/http.js'
import { PUBLIC_ORIGIN, startStack, type Stack } from '../src/stack.js'
import { pool } from '@webchat/testkit'

/** Client address i (Linux routes all of 127.0.0.0/8 to loopback): one "IP" per value. */
const ip = (i: number): string => `127.0.${1 + Math.floor(i / 200)}.${2 + (i % 200)}`
const sessionOf = (answer: HttpAnswer): boolean =>
  answer.status === 200 || [answer.headers['set-cookie'] ?? []].flat().some((c) => c.startsWith('webchat_session=') && !/max-age=0|expires=thu, 01 jan 1970/i.test(c))

/** A code request and the sign-in cookie it set: what the browser that asked holds. */
interface Requested { answer: HttpAnswer, cookie: string | undefined }

async function requestCode (stack: Stack, email: string, from = ip(0), cookie?: string): Promise<Requested> {
  const answer = await http(`${stack.auth.url}/auth/code`, { body: { email }, headers: { origin: PUBLIC_ORIGIN, ...(cookie === undefined ? {} : { cookie }) }, localAddress: from })
  return { answer, cookie: cookieOf(answer, SIGN_IN_COOKIE) ?? cookie }
}
/** A guess at `email`'s code, with a sign-in cookie (the browser that asked) or without (a stranger). */
async function guess (stack: Stack, email: string, code: string, cookie: string | undefined, from = ip(0)): Promise<HttpAnswer> {
  return await http(`${stack.auth.url}/auth/verify`, { body: { email, code }, headers: { origin: PUBLIC_ORIGIN, ...(cookie === undefined ? {} : { cookie }) }, localAddress: from })
}
/** A code that is not `right` (never equal, so that the test is deterministic). */
const wrong = (right: string, n: number): string => String((Number(right) + 1 + n * 7919) % 10 ** LIMITS.codeDigits).padStart(LIMITS.codeDigits, '0')
const WRONG = { error: 'invalid_code', message: 'wrong or expired code' }

t.test('codes under guessing, races, expiry and resend', async (t) => {
  const stack = await startStack(t, { chats: 0 })

  t.test('1,000 guesses from 50 addresses at 50 accounts, the right code among them: no session; every owner still signs in', async (t) => {
    const victims = Array.from({ length: 50 }, (_, i) => `victim-${i}@example.com`)
    const owners = await pool(victims.length, 10, async (i) => {
      const { answer, cookie } = await requestCode(stack, victims[i]!, ip(100 + i))
      if (answer.status !== 202 || cookie === undefined) throw new Error(`code request ${i}: ${answer.status} ${answer.text}`)
      return cookie
    })
    const right = await Promise.all(victims.map(async (v) => await stack.sink.codeFor(v, 10_000)))
    // The attacker also asks for a code of its own for every account (from its own addresses), so
    // half its guesses carry a sign-in cookie: its own, which is not the owner's.
    const own = await pool(victims.length, 10, async (i) => (await requestCode(stack, victims[i]!, ip(i))).cookie)
    // 20 guesses per account, each from another address: wrong ones, and the owner's code now and then.
    const plan = Array.from({ length: 1000 }, (_, k) => {
      const victim = k % 50
      const nth = Math.floor(k / 50)
      return { victim, nth, from: ip((victim + nth) % 50), cookie: nth % 2 === 0 ? undefined : own[victim], code: nth % 3 === 2 ? right[victim]! : wrong(right[victim]!, nth) }
    })
    const answers: HttpAnswer[] = []
    // In rounds: every account's nth guess before any (n+1)th.
    for (let nth = 0; nth < 20; nth++) {
      const round = plan.filter((p) => p.nth === nth)
      answers.push(...await pool(round.length, 25, async (i) => await guess(stack, victims[round[i]!.victim]!, round[i]!.code, round[i]!.cookie, round[i]!.from)))
    }
    const statuses: Record<number, number> = {}
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1
    const sessions = answers.filter(sessionOf).length
    // Rounds keep the plan's order: answer i is the answer to plan[i].
    const rightAnswers = answers.filter((_, i) => plan[i]!.code === right[plan[i]!.victim])
    const cookieless = answers.filter((_, i) => plan[i]!.cookie === undefined)
    t.equal(answers.length, 1000, '1,000 guesses')
    t.equal(sessions, 0, 'no session')
    t.ok(Object.keys(statuses).every((s) => ['401', '410'].includes(s)), `statuses ${JSON.stringify(statuses)}`)
    t.ok(rightAnswers.length >= 300 && rightAnswers.every((a) => a.status === 401 || a.status === 410), `${rightAnswers.length} guesses of the right code without the owner's cookie: all refused`)
    t.ok(cookieless.every((a) => a.status === 401 && JSON.stringify(a.json) === JSON.stringify(WRONG)), 'without a cookie: the one answer, no attemptsLeft')
    t.equal(answers.filter((a) => a.status === 500).length, 0, 'never a 500')
    const owned = await pool(victims.length, 10, async (i) => await guess(stack, victims[i]!, right[i]!, owners[i], ip(100 + i)))
    t.equal(owned.filter(sessionOf).length, 50, 'every owner signs in with the code it asked for')
    const lines = stack.procs().flatMap((p) => p.lines())
    t.same(lines.filter((l) => victims.some((v) => l.includes(v)) || right.some((c) => l.includes(`"${c}"`) || l.includes(` ${c}`))), [], 'no address or code in any log line')
    report(t, 'codes-guessing', { guesses: answers.length, addresses: 50, accounts: 50, sessions, rightButNotOwner: rightAnswers.length, ownersSignedIn: owned.filter(sessionOf).length, ...Object.fromEntries(Object.entries(statuses).map(([s, n]) => [`status${s}`, n])) })
  })

  t.test('one client guessing fast is cut off by the per-client limit', async (t) => {
    const from = ip(150)
    const answers = await pool(101, 10, async (i) => (await guess(stack, `nobody-${i}@example.com`, '12345678', undefined, from)).status)
    t.equal(answers.filter((s) => s === 429).length, 1, 'the 101st check within the window: 429')
    t.ok(answers.every((s) => s === 401 || s === 429), 'the others: the wrong-code answer (401)')
  })

  t.test('"no code pending" and "wrong code" are one answer to a stranger', async (t) => {
    const email = 'pending@example.com'
    const { cookie } = await requestCode(stack, email, ip(80))
    const code = await stack.sink.codeFor(email)
    const pending = await guess(stack, email, wrong(code, 0), undefined, ip(81))
    const none = await guess(stack, 'nobody-pending@example.com', wrong(code, 0), undefined, ip(81))
    const shape = (a: HttpAnswer): unknown => [a.status, a.headers['content-type'], a.text, a.headers['set-cookie']]
    t.same(shape(pending), shape(none), 'same status, type, body and cookies')
    t.same(pending.json, WRONG)
    t.ok(sessionOf(await guess(stack, email, code, cookie, ip(80))), 'the owner\'s code was not touched')
  })

  t.test('the 6th guess by the browser that asked fails even when right; a 6-digit guess counts as none', async (t) => {
    const email = 'sixth@example.com'
    const { answer, cookie } = await requestCode(stack, email, ip(60))
    t.equal(answer.status, 202)
    const code = await stack.sink.codeFor(email)
    t.match(code, /^[0-9]{8}$/, 'the mailed code: 8 digits')
    const short = await pool(10, 5, async () => await guess(stack, email, code.slice(0, 6), cookie, ip(61)))
    t.same(short.map((a) => [a.status, (a.json as { error?: unknown } | undefined)?.error]), Array(10).fill([400, 'bad_request']), 'ten 6-digit guesses: 400 bad_request')
    const answers = []
    for (let i = 0; i < 5; i++) answers.push((await guess(stack, email, wrong(code, i), cookie, ip(61))).json)
    t.same(answers, [4, 3, 2, 1, 0].map((attemptsLeft) => ({ ...WRONG, attemptsLeft })), 'five wrong guesses, counted down')
    const sixth = await guess(stack, email, code, cookie, ip(61))
    t.equal(sixth.status, 410, 'the right code as 6th guess: 410')
    t.match(sixth.json, { error: 'code_expired' })
    t.notOk(sessionOf(sixth), 'no session')
  })

  t.test('50 parallel submissions of the right code: exactly one session', async (t) => {
    const email = 'race@example.com'
    const { answer, cookie } = await requestCode(stack, email, ip(70))
    t.equal(answer.status, 202)
    const code = await stack.sink.codeFor(email)
    const answers = await Promise.all(Array.from({ length: 50 }, async (_, i) => await guess(stack, email, code, cookie, ip(i))))
    const won = answers.filter(sessionOf)
    t.equal(won.length, 1, 'exactly one session')
    t.ok(answers.filter((a) => !sessionOf(a)).every((a) => a.status === 401 || a.status === 410), 'the others: refused (401 or 410)')
    t.equal((await guess(stack, email, code, cookie, ip(71))).status, 401, 'used: it fails afterwards too')
    report(t, 'codes-race', { parallel: 50, sessions: won.length })
  })
})

t.test('codes after their TTL or after a resend', async (t) => {
  const stack = await startStack(t, { chats: 0, authEnv: { CODE_TTL: '2', CODE_COOLDOWN: '0' } })

  const late = 'late@example.com'
  const asked = await requestCode(stack, late)
  t.equal(asked.answer.status, 202)
  const code = await stack.sink.codeFor(late)
  await sleep(2500)
  const expired = await guess(stack, late, code, asked.cookie)
  t.equal(expired.status, 401, 'after its TTL: the wrong-code answer')
  t.notOk(sessionOf(expired))

  const resent = 'resent@example.com'
  const first = await requestCode(stack, resent)
  t.equal(first.answer.status, 202)
  const firstCode = await stack.sink.codeFor(resent)
  stack.sink.mails.length = 0
  const second = await requestCode(stack, resent, ip(0), first.cookie)
  t.equal(second.answer.status, 202, 'resend')
  t.not(second.cookie, first.cookie, 'a new request: an id the browser offers is never reused')
  const secondCode = await stack.sink.codeFor(resent)
  const replaced = await guess(stack, resent, firstCode, first.cookie)
  t.not(replaced.status, 200, `the first code with the first request, after a resend: ${replaced.status}`)
  t.notOk(sessionOf(replaced))
  if (firstCode === secondCode) t.comment('the two codes happen to be equal (1 in 10^8): the first-code check is moot')
  else {
    const old = await guess(stack, resent, firstCode, second.cookie)
    t.not(old.status, 200, `the first code after a resend: ${old.status}`)
    t.notOk(sessionOf(old))
  }
  const ok = await guess(stack, resent, secondCode, second.cookie)
  t.equal(ok.status, 200, 'the new code works')
  t.ok(sessionOf(ok))
})
