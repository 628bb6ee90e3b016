import { createHmac } from 'node:crypto'
import t from 'tap'
import { verifySignature } from '../src/hook-signature.js'
import { verifyWebhook } from '../src/webhook.js'

const secret = 'a-webhook-secret-0123456789abcdef'
const next = 'the-next-webhook-secret-fedcba9876'
const event = {
  id: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
  type: 'member.role_changed',
  time: '2026-12-05T12:30:00.000Z',
  data: { room: 'p-project-42', user: { id: 'u-23', name: 'Bob' }, role: 'moderator', previous: 'member', by: 'u-5' }
}
const body = JSON.stringify(event)
const now = Date.UTC(2026, 11, 5, 12, 30, 1)
const seconds = Math.floor(now / 1000)

/** HMAC-SHA256 over `<t>.<body>` in hex, as docs/webhooks.md says chat makes it. */
const mac = (t: number, text = body, key = secret): string => createHmac('sha256', key).update(`${t}.${text}`).digest('hex')
const sign = (t: number, text = body, key = secret): string => `t=${t},v1=${mac(t, text, key)}`

t.test('a request signed with the secret over this body, just now, gives its event', async (t) => {
  t.same(await verifyWebhook({ header: sign(seconds), body, secret, now }), event)
  t.same(await verifyWebhook({ header: sign(seconds - 300), body, secret, now }), event, '300 s old')
  t.same(await verifyWebhook({ header: sign(seconds + 300), body, secret, now }), event, '300 s ahead')
  t.same(await verifyWebhook({ header: sign(Math.floor(Date.now() / 1000)), body, secret }), event, 'by the real clock')
  t.same(await verifyWebhook({ header: `t=${seconds},v0=old,v1=${mac(seconds)}`, body, secret, now }), event, 'a key it does not know')
})

t.test('a signature that does not check out gives null', async (t) => {
  t.equal(await verifyWebhook({ header: `t=${seconds},v1=${'0'.repeat(64)}`, body, secret, now }), null, 'a forged MAC')
  t.equal(await verifyWebhook({ header: sign(seconds, body, `${secret}!`), body, secret, now }), null, 'another secret')
  t.equal(await verifyWebhook({ header: `t=${seconds + 1},v1=${mac(seconds)}`, body, secret, now }), null, 'another time: the time is signed too')
  // One byte changed anywhere: the role, a character of the id, a space added at the end.
  for (const altered of [body.replace('moderator', 'moderatos'), body.replace('c56a4180', 'c56a4181'), `${body} `]) {
    t.equal(await verifyWebhook({ header: sign(seconds), body: altered, secret, now }), null, `altered: ${altered.slice(-40)}`)
  }
  t.equal(await verifyWebhook({ header: sign(seconds - 301), body, secret, now }), null, 'older than 5 minutes: a replay')
  t.equal(await verifyWebhook({ header: sign(seconds + 301), body, secret, now }), null, 'more than 5 minutes ahead')
  t.equal(await verifyWebhook({ header: sign(seconds + 86_400 * 365), body, secret, now }), null, 'a year ahead')
  t.equal(await verifyWebhook({ header: sign(seconds - 61), body, secret, now, toleranceSeconds: 60 }), null, 'a tighter tolerance')
  t.equal(await verifyWebhook({ header: sign(seconds - 86_400), body, secret, now, toleranceSeconds: Number.NaN }), null, 'a NaN tolerance')
  t.equal(await verifyWebhook({ header: sign(seconds), body, secret, now: Number.NaN }), null, 'a NaN clock')
})

t.test('malformed headers give null', async (t) => {
  const good = mac(seconds)
  for (const header of [
    undefined, '', good, `v1=${good}`, `t=${seconds}`, `t=${seconds},v1=`, `t=${seconds},v1=${good.toUpperCase()}`,
    `t=${seconds},v1=${good.slice(1)}`, `t=${seconds},v1=${good},v1=zz`, `t=${seconds},t=${seconds},v1=${good}`,
    `t=${seconds}.0,v1=${good}`, `t=${seconds};v1=${good}`, `T=${seconds},V1=${good}`, `${'t=1,'.repeat(1000)}v1=${good}`
  ]) {
    t.equal(await verifyWebhook({ header, body, secret, now }), null, JSON.stringify(header)?.slice(0, 60) ?? 'undefined')
  }
})

t.test('while a secret is being replaced, either one checks out', async (t) => {
  const both = `t=${seconds},v1=${mac(seconds)},v1=${mac(seconds, body, next)}`
  t.same(await verifyWebhook({ header: both, body, secret, now }), event, 'two v1s: the receiver still has the old secret only')
  t.same(await verifyWebhook({ header: both, body, secret: next, now }), event, 'two v1s: the receiver has the new secret only')
  t.same(await verifyWebhook({ header: both, body, secrets: [secret, next], now }), event, 'two v1s, two secrets')
  t.same(await verifyWebhook({ header: sign(seconds, body, next), body, secrets: [secret, next], now }), event, 'signed with the new one, both known')
  t.same(await verifyWebhook({ header: sign(seconds), body, secrets: [secret, next], now }), event, 'signed with the old one, both known')
  t.equal(await verifyWebhook({ header: both, body, secrets: ['neither-of-them-0123456789abcdef', 'nor-this-0123456789abcdef'], now }), null, 'neither known')
  const forgedFirst = `t=${seconds},v1=${'f'.repeat(64)},v1=${mac(seconds, body, next)}`
  t.same(await verifyWebhook({ header: forgedFirst, body, secret: next, now }), event, 'one v1 that matches is enough')
})

t.test('a good signature over a body that is no event gives null', async (t) => {
  const bodies = [
    'not json',
    '',
    'null',
    JSON.stringify([event]),
    JSON.stringify({ ...event, type: 'message.pinned' }),
    JSON.stringify({ ...event, type: 'member.removed' }),
    JSON.stringify({ ...event, extra: true }),
    JSON.stringify({ ...event, id: 'not-a-uuid' }),
    JSON.stringify({ ...event, data: { ...event.data, role: 'admin' } }),
    JSON.stringify({ room: 'p-project-42', user: { id: 'u-17', name: 'Ann' } })
  ]
  for (const text of bodies) {
    t.equal(await verifySignature({ header: sign(seconds, text), body: text, secret, now }), true, 'the signature is good')
    t.equal(await verifyWebhook({ header: sign(seconds, text), body: text, secret, now }), null, text.slice(0, 60))
  }
})

t.test('no secret, or an empty one, is a setup mistake and throws', async (t) => {
  const header = sign(seconds)
  const mistake = { name: 'TypeError', message: 'verifySignature needs `secret`, or `secrets` with at least one, and none empty' }
  await t.rejects(verifyWebhook({ header, body, secret: '', now }), mistake, 'an empty secret')
  await t.rejects(verifyWebhook({ header, body, secrets: [], now }), mistake, 'no secrets')
  await t.rejects(verifyWebhook({ header, body, secrets: [secret, ''], now }), mistake, 'one of them empty')
  // As a host product might pass it from JavaScript: process.env.WEBHOOK_SECRET unset.
  await t.rejects(verifyWebhook({ header, body, secret: undefined } as unknown as Parameters<typeof verifyWebhook>[0]), mistake, 'undefined')
})
