import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import pino from 'pino'
import { decodeProtectedHeader } from 'jose'
import { INVITATION_AUDIENCE, INVITATION_TYPE, validate } from '@webchat/shared'
import { bodyOf, type CapturedMail, type SmtpSink } from '@webchat/testkit'
import { INVITATION_SUBJECT } from '../../../src/mail/invitation.js'
import { loggerOptions } from '../../../src/logger.js'
import { ENGINES, build, type Built, signIn, sleep } from '../../helper.js'
import { claimsOf, invite } from './invite.js'

/** The mails to `address`, once there are `count` of them (or after `ms`). */
async function mailsTo (sink: SmtpSink, address: string, count = 1, ms = 5000): Promise<CapturedMail[]> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = sink.mails.filter((m) => m.to.includes(address))
    if (found.length >= count || Date.now() > deadline) return found
    await sleep(20)
  }
}

/** A display name that passes the name rule and would pass for someone else in a mail. */
const HOSTILE_NAME = 'PayPal (service@paypal.com)'

/** Ada, signed in and renamed (to a name posing as someone else), on a fresh app. */
async function withAda (t: Test, kind: 'memory' | 'redis', env: Record<string, string> = {}): Promise<Built & { ada: string }> {
  const built = await build(t, kind, { env: { APP_URL: 'https://chat.example.com/app', ...env } })
  const ada = await signIn(built, 'ada@example.com')
  const renamed = await built.app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie: ada }, payload: { name: HOSTILE_NAME } })
  if (renamed.statusCode !== 200) throw new Error(`rename refused: ${renamed.body}`)
  return { ...built, ada }
}

for (const kind of ENGINES) {
  t.test(`${kind}: the same answer for a registered and a new address; the new one signs in as the invited user`, async (t) => {
    const built = await withAda(t, kind, { AUTH_SERVICE_KEYS: 'service-key-0123456789' })
    const { app, sink, ada } = built
    const bob = await signIn(built, 'bob@example.com')
    const bobUser = (await app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie: bob }, payload: { name: 'Robert Secret' } })).json().user

    const registered = await invite(app, ada, 'Bob@Example.com')
    const fresh = await invite(app, ada, 'cyd@example.com')
    for (const res of [registered, fresh]) {
      t.equal(res.statusCode, 200)
      t.ok(validate.invitationResponse(res.json()))
      t.same(Object.keys(res.json()).sort(), ['expiresAt', 'ticket'])
      t.equal(res.headers['cache-control'], 'no-store')
    }
    t.equal(registered.body.length, fresh.body.length, 'the same length too, for addresses of one length')
    const adaId = (await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: ada } })).json().user.id
    const toBob = await claimsOf(app, registered.json().ticket)
    const toCy = await claimsOf(app, fresh.json().ticket)
    t.match(decodeProtectedHeader(registered.json().ticket), { typ: INVITATION_TYPE, alg: 'ES256' })
    t.match(toBob, { sub: adaId, invitee: bobUser.id, name: 'bob', aud: INVITATION_AUDIENCE })
    t.equal(toBob.name, 'bob', 'the name from the address, never the stored one')
    t.match(toCy, { sub: adaId, name: 'cyd' })
    t.equal((toCy.exp as number) - (toCy.iat as number), 600, '10 minutes')
    t.equal(new Date((toCy.exp as number) * 1000).toISOString(), fresh.json().expiresAt)
    t.not(toBob.jti, toCy.jti)

    const introspect = await app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: 'Bearer service-key-0123456789' }, payload: { token: fresh.json().ticket } })
    t.same(introspect.json(), { active: false }, 'a ticket is no chat token')

    const cy = await signIn(built, 'cyd@example.com')
    const cyUser = (await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: cy } })).json().user
    t.equal(cyUser.id, toCy.invitee, 'the first sign-in finds the user the invitation made')
    t.equal(cyUser.name, 'cyd')

    for (const [address, mails] of [['bob@example.com', await mailsTo(sink, 'bob@example.com', 2)], ['cyd@example.com', await mailsTo(sink, 'cyd@example.com', 2)]] as const) {
      const invitations = mails.filter((m) => m.raw.includes(INVITATION_SUBJECT))
      t.equal(invitations.length, 1, `one invitation mail to ${address}`)
      const body = bodyOf(invitations[0]!)
      t.match(body, 'The webchat user signed in as ada@example.com wants to chat with you.')
      t.match(body, 'The webchat user signed in as <strong>ada@example.com</strong> wants to chat with you.')
      for (const piece of ['PayPal', 'service@paypal.com']) t.notMatch(body, piece, 'never the display name')
      t.match(body, 'open https://chat.example.com/app and sign in with this address')
      t.notMatch(body, 'Robert Secret', 'no other user text')
    }
  })

  t.test(`${kind}: INVITATIONS_PER_HOUR per inviter, then 429 with retryAfter`, async (t) => {
    const built = await withAda(t, kind, { INVITATIONS_PER_HOUR: '2' })
    const { app, ada } = built
    t.equal((await invite(app, ada, 'a1@example.com')).statusCode, 200)
    t.equal((await invite(app, ada, 'a2@example.com')).statusCode, 200)
    const refused = await invite(app, ada, 'a3@example.com')
    t.equal(refused.statusCode, 429)
    t.match(refused.json(), { error: 'rate_limited', retryAfter: Number })
    t.ok(refused.json().retryAfter > 3500 && refused.json().retryAfter <= 3600, `within the hour (${refused.json().retryAfter} s)`)
    t.equal(refused.headers['retry-after'], String(refused.json().retryAfter))
    const other = await signIn(built, 'other@example.com')
    t.equal((await invite(app, other, 'a3@example.com')).statusCode, 200, 'per inviter')
  })

  t.test(`${kind}: INVITATION_MAILS_PER_DAY per address from all inviters; past it the same answer and no mail`, async (t) => {
    const built = await withAda(t, kind, { INVITATION_MAILS_PER_DAY: '1' })
    const { app, sink, ada } = built
    const ben = await signIn(built, 'ben@example.com')
    const first = await invite(app, ada, 'target@example.com')
    await mailsTo(sink, 'target@example.com')
    const again = await invite(app, ben, 'target@example.com')
    const third = await invite(app, ada, 'target@example.com')
    for (const res of [first, again, third]) {
      t.equal(res.statusCode, 200)
      t.ok(validate.invitationResponse(res.json()))
    }
    t.equal((await claimsOf(app, again.json().ticket)).invitee, (await claimsOf(app, first.json().ticket)).invitee, 'the ticket still works')
    const metrics = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/metrics' })).body
    for (let i = 0; i < 200 && !/webchat_auth_invitation_mails_total\{result="skipped"\} 2/.test(await metrics()); i++) await sleep(20)
    t.match(await metrics(), /webchat_auth_invitation_mails_total\{result="skipped"\} 2/)
    t.match(await metrics(), /webchat_auth_invitation_mails_total\{result="sent"\} 1/)
    t.equal((await mailsTo(sink, 'target@example.com', 2, 300)).length, 1, 'one mail only')
  })

  t.test(`${kind}: the daily mail cap is per mailbox: plus tags do not multiply the mails one inbox gets`, async (t) => {
    const built = await withAda(t, kind, { INVITATION_MAILS_PER_DAY: '1' })
    const { app, sink, ada } = built
    const tickets: string[] = []
    for (const email of ['victim@example.com', 'victim+1@example.com', 'Victim+spam@example.com', 'victim+@example.com']) {
      const res = await invite(app, ada, email)
      t.equal(res.statusCode, 200, email)
      tickets.push(res.json().ticket)
    }
    const invitees = new Set(await Promise.all(tickets.map(async (ticket) => (await claimsOf(app, ticket)).invitee)))
    t.equal(invitees.size, 4, 'each address is still its own user')
    const metrics = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/metrics' })).body
    for (let i = 0; i < 200 && !/webchat_auth_invitation_mails_total\{result="skipped"\} 3/.test(await metrics()); i++) await sleep(20)
    await sleep(300)
    const mails = sink.mails.filter((m) => m.raw.includes(INVITATION_SUBJECT))
    t.equal(mails.length, 1, 'one invitation mail reaches the inbox of victim@example.com')
  })
}

t.test('guards: a session, the origin, one valid address, not your own, the allowed domains', async (t) => {
  const built = await withAda(t, 'memory', { ALLOWED_EMAIL_DOMAINS: 'example.com' })
  const { app, ada } = built
  t.match((await invite(app, '', 'bob@example.com')).json(), { error: 'unauthorized' })
  const crossSite = await invite(app, ada, 'bob@example.com', { origin: 'https://evil.example' })
  t.equal(crossSite.statusCode, 403)
  t.equal(crossSite.json().error, 'cross_site')
  for (const email of ['not an address', 'a@b', 'bob@example.com\r\nBcc: x@example.com']) {
    t.match((await invite(app, ada, email)).json(), { error: 'invalid_email' }, JSON.stringify(email))
  }
  t.match((await invite(app, ada, 'ADA@example.com')).json(), { error: 'bad_request', message: 'that is your own address' })
  t.match((await invite(app, ada, 'bob@elsewhere.example')).json(), { error: 'domain_not_allowed' })
  const extra = await app.inject({ method: 'POST', url: '/auth/invitations', headers: { cookie: ada }, payload: { email: 'bob@example.com', note: 'hi' } })
  t.equal(extra.statusCode, 400, 'no other field, so no other text')
})

t.test('logs carry no address and no ticket, and a failed mail is logged without them', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const loggerInstance = pino({ ...loggerOptions({ logLevel: 'trace' }) as object }, stream)
  const built = await build(t, 'memory', { server: { loggerInstance }, env: { LOG_LEVEL: 'trace' } })
  const ada = await signIn(built, 'ada@example.com')
  built.sink.failing = true
  const tickets: string[] = []
  for (const email of ['private.invitee@example.com', 'second.invitee@example.com']) tickets.push((await invite(built.app, ada, email)).json().ticket)
  await built.app.close() // waits for the mails under way
  const all = lines.join('')
  t.match(all, /invitation mail failed/)
  for (const secret of ['private.invitee', 'second.invitee', ...tickets.map((ticket) => ticket.slice(-40))]) t.notOk(all.includes(secret), 'not in the logs')
})
