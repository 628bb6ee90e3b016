import { createHmac } from 'node:crypto'
import t from 'tap'
import { verifyAccessSignature } from '../src/hook-signature.js'

const secret = 'a-host-product-secret-0123456789abcdef'
const body = JSON.stringify({ room: 'p-project-42', user: { id: 'u-17', name: 'Ann' } })
const now = Date.UTC(2026, 11, 5, 12, 0, 0)
const seconds = Math.floor(now / 1000)

/** A header as docs/security.md says chat makes it: HMAC-SHA256 over `<t>.<body>`, in hex. */
const sign = (t: number, text = body, key = secret): string => `t=${t},v1=${createHmac('sha256', key).update(`${t}.${text}`).digest('hex')}`

t.test('a request signed with the secret over this body, just now, verifies', async (t) => {
  t.equal(await verifyAccessSignature({ header: sign(seconds), body, secret, now }), true)
  t.equal(await verifyAccessSignature({ header: sign(seconds - 299), body, secret, now }), true, '299 s old')
  t.equal(await verifyAccessSignature({ header: ` t=${seconds} , v1=${sign(seconds).split('v1=')[1]!}`, body, secret, now }), true, 'spaces around the parts')
  t.equal(await verifyAccessSignature({ header: sign(Math.floor(Date.now() / 1000)), body, secret }), true, 'by the real clock')
})

t.test('anything else does not', async (t) => {
  t.equal(await verifyAccessSignature({ header: sign(seconds, body, `${secret}!`), body, secret, now }), false, 'another secret')
  t.equal(await verifyAccessSignature({ header: sign(seconds), body: body.replace('u-17', 'u-18'), secret, now }), false, 'an altered body')
  t.equal(await verifyAccessSignature({ header: sign(seconds), body: `${body} `, secret, now }), false, 'a body with a byte more')
  t.equal(await verifyAccessSignature({ header: sign(seconds - 301), body, secret, now }), false, 'older than 5 minutes: a replay')
  t.equal(await verifyAccessSignature({ header: sign(seconds + 301), body, secret, now }), false, 'more than 5 minutes ahead')
  t.equal(await verifyAccessSignature({ header: sign(seconds - 100), body, secret, now, toleranceSeconds: 60 }), false, 'a tighter tolerance')
  const mac = sign(seconds).split('v1=')[1]!
  t.equal(await verifyAccessSignature({ header: `t=${seconds + 1},v1=${mac}`, body, secret, now }), false, 'the time is signed too')
  for (const header of [undefined, '', 'v1=' + mac, `t=${seconds}`, `t=${seconds},v1=${mac.slice(2)}`, `t=${seconds},v1=${mac.toUpperCase()}`, `t=soon,v1=${mac}`, `t=-${seconds},v1=${mac}`, `${mac}`]) {
    t.equal(await verifyAccessSignature({ header, body, secret, now }), false, `header ${JSON.stringify(header)}`)
  }
})

t.test('a clock or tolerance that is no number refuses, rather than accepting any age', async (t) => {
  // As a host product might pass them: Number(process.env.HOOK_TOLERANCE) unset, a clock read that failed.
  const old = sign(seconds - 365 * 86_400)
  t.equal(await verifyAccessSignature({ header: old, body, secret, now, toleranceSeconds: Number(undefined) }), false, 'a NaN tolerance: a year-old request')
  t.equal(await verifyAccessSignature({ header: old, body, secret, now: Number.NaN }), false, 'a NaN clock')
  t.equal(await verifyAccessSignature({ header: sign(seconds), body, secret, now, toleranceSeconds: -1 }), false, 'a negative tolerance')
})
