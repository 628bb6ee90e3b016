import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { NOTIFICATION_QUEUE } from '@webchat/shared'
import { bodyOf } from '@webchat/testkit'
import { loggerOptions } from '../../src/logger.js'
import { ENGINES, build, sleep } from '../helper.js'
import { QUICK_WORKER, choose, drained, headerOf, htmlOf, item, job, mailsTo, outcomes, push, signedUp } from './jobs.js'

for (const kind of ENGINES) {
  t.test(`${kind}: a job is one mail to the user's address, listing its items, with the unsubscribe headers and a Message-ID from the job`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { app, engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    const items = [item('direct'), item('mention', { from: { id: 'cy-id', name: 'Cy' } })]
    const sent = job(bob.id, items, 3)
    await push(engine, sent)
    await drained(engine)
    await sleep(100)
    const mails = mailsTo(sink, 'bob@example.com')
    t.equal(mails.length, 1, 'exactly one mail')
    const mail = mails[0]!
    t.equal(headerOf(mail, 'Subject'), '5 new messages from Ann and Cy')
    t.equal(headerOf(mail, 'Message-ID'), `<notification.${sent.id}@webchat.localhost>`)
    const unsubscribe = headerOf(mail, 'List-Unsubscribe')
    t.match(unsubscribe, new RegExp(`^<https://chat\\.example\\.com/auth/unsubscribe\\?u=${bob.id}&s=[A-Za-z0-9_-]{43}>$`))
    t.equal(headerOf(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
    const body = bodyOf(mail)
    for (const it of items) {
      t.match(body, it.preview, 'each preview')
      t.match(body, `https://chat.example.com/r/${it.room}`, 'a link to each room')
    }
    t.match(body, 'Ann, a direct message, 2024-05-01')
    t.match(body, 'Cy, a mention in Project X')
    t.match(body, 'And 3 more unread messages.')
    t.match(body, unsubscribe!.slice(1, -1), 'the unsubscribe link in the footer')
    t.equal(await outcomes(app, 'sent'), 1)
    t.same(await engine.queues.depth(NOTIFICATION_QUEUE), { queued: 0, pending: 0, dead: 0 }, 'acknowledged')
    const scrape = (await app.inject({ method: 'GET', url: '/metrics' })).body
    t.match(scrape, 'webchat_auth_notification_queue{state="queued"} 0')
    t.match(scrape, 'webchat_auth_notification_mails_total{outcome="sent"} 1')
  })

  t.test(`${kind}: what is user-made is escaped in the HTML part and kept to one line`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    const from = { id: 'x-id', name: '<b>x</b>' }
    await push(engine, job(bob.id, [item('mention', { from, roomTitle: '<i>room</i>', preview: 'a <script>alert(1)</script>\nUnsubscribe: https://evil.example' })]))
    await drained(engine)
    const mail = mailsTo(sink, 'bob@example.com')[0]!
    t.equal(headerOf(mail, 'Subject'), '<b>x</b> mentioned you in <i>room</i>', 'the subject is text')
    const html = htmlOf(mail)
    t.match(html, '<strong>&lt;b&gt;x&lt;/b&gt;</strong>, a mention in &lt;i&gt;room&lt;/i&gt;')
    t.match(html, '<blockquote>a &lt;script&gt;alert(1)&lt;/script&gt; Unsubscribe: https://evil.example</blockquote>')
    t.notMatch(html, '<b>x</b>')
    t.notMatch(html, '<script>', 'no markup of theirs in the HTML part')
    t.notMatch(bodyOf(mail), /\n\s*Unsubscribe: https:\/\/evil/, 'a preview adds no line of its own to the text part')
  })

  t.test(`${kind}: no mail for a user who does not exist, for 'off', and for mention-only jobs under 'direct'`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { app, engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    const off = await signedUp(built, 'off@example.com')
    await choose(app, bob.cookie, 'direct')
    await choose(app, off.cookie, 'off')
    await push(engine,
      job('nobody-at-all', [item('direct')]),
      job(off.id, [item('direct')]),
      job(bob.id, [item('mention'), item('mention')], 4),
      job(bob.id, [item('mention'), item('direct', { preview: 'the direct one' }), item('mention', { preview: 'the mention' })], 2))
    await drained(engine)
    await sleep(100)
    t.equal(sink.mails.filter((m) => headerOf(m, 'List-Unsubscribe') !== undefined).length, 1, 'one notification mail in all')
    const mail = mailsTo(sink, 'bob@example.com')[0]!
    t.equal(headerOf(mail, 'Subject'), 'Ann sent you a message', 'the direct item alone')
    const body = bodyOf(mail)
    t.match(body, 'the direct one')
    t.notMatch(body, 'the mention')
    t.notMatch(body, 'more unread', 'unlisted items of either kind are not counted')
    t.equal(await outcomes(app, 'empty'), 2, 'the missing user and the mention-only job')
    t.equal(await outcomes(app, 'unsubscribed'), 1)
    t.equal((await engine.queues.depth(NOTIFICATION_QUEUE)).dead, 0, 'all acknowledged')
  })

  t.test(`${kind}: at most NOTIFY_MAILS_PER_HOUR mails an hour; the 7th is dropped`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { app, engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    for (let i = 0; i < 7; i++) await push(engine, job(bob.id, [item('direct')]))
    await drained(engine)
    await sleep(100)
    t.equal(mailsTo(sink, 'bob@example.com').length, 6)
    t.equal(await outcomes(app, 'rate_limited'), 1)
    t.equal((await engine.queues.depth(NOTIFICATION_QUEUE)).queued, 0, 'the 7th is acknowledged, not kept for later')
  })

  t.test(`${kind}: while the mail server refuses, the job waits and is sent once it takes mail again; a job that is no job is buried`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { app, engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    sink.failing = true
    await push(engine, job(bob.id, [item('direct', { preview: 'kept for later' })]), '{"not":"a job"}')
    const deadline = Date.now() + 5000
    while (await outcomes(app, 'failed') < 1 && Date.now() < deadline) await sleep(20)
    t.equal(await outcomes(app, 'failed'), 1, 'the first attempt failed')
    t.equal((await engine.queues.depth(NOTIFICATION_QUEUE)).queued, 1, 'the job is kept')
    sink.failing = false
    await drained(engine)
    const mails = mailsTo(sink, 'bob@example.com')
    t.equal(mails.length, 1, 'delivered once the server is back')
    t.match(bodyOf(mails[0]!), 'kept for later')
    const dead = await engine.queues.dead(NOTIFICATION_QUEUE, null, 10)
    t.match(dead, [{ data: '{"not":"a job"}', reason: 'not a notification job' }])
    t.equal(await outcomes(app, 'dead'), 1)
  })
}

t.test('a mail the server never takes is buried after NOTIFY_MAX_ATTEMPTS', async (t) => {
  const built = await build(t, 'memory', { env: { ...QUICK_WORKER, NOTIFY_MAX_ATTEMPTS: '2' } })
  const { app, engine, sink } = built
  const bob = await signedUp(built, 'bob@example.com')
  sink.failing = true
  await push(engine, job(bob.id, [item('direct')]))
  await drained(engine)
  t.match(await engine.queues.dead(NOTIFICATION_QUEUE, null, 10), [{ attempts: 2, reason: 'the mail server did not take it in 2 attempts' }])
  t.equal(await outcomes(app, 'failed'), 1)
  t.equal(await outcomes(app, 'dead'), 1)
  t.equal(mailsTo(sink, 'bob@example.com').length, 0)
})

t.test('logs name jobs and users only: no address, unsubscribe signature or mail text, even at trace level', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const loggerInstance = pino({ ...loggerOptions({ logLevel: 'trace' }) as object }, stream)
  const built = await build(t, 'memory', { server: { loggerInstance }, env: { ...QUICK_WORKER, LOG_LEVEL: 'trace', NOTIFY_MAX_ATTEMPTS: '2' } })
  const { engine, sink, app } = built
  const bob = await signedUp(built, 'bob@example.com')
  await push(engine, job(bob.id, [item('direct', { preview: 'a secret preview' })]))
  await drained(engine)
  const link = new URL(headerOf(mailsTo(sink, 'bob@example.com')[0]!, 'List-Unsubscribe')!.slice(1, -1))
  sink.failing = true
  await push(engine, job(bob.id, [item('direct', { preview: 'a secret preview' })]))
  await drained(engine)
  t.equal(await outcomes(app, 'dead'), 1, 'a failed and a buried attempt were logged')
  await app.inject({ method: 'POST', url: `${link.pathname}${link.search}` })
  const logs = lines.join('')
  t.match(logs, 'notification mail failed')
  t.match(logs, 'notification job given up')
  t.match(logs, 'turned off by the unsubscribe link')
  for (const secret of ['bob@example.com', link.searchParams.get('s')!, 'a secret preview']) t.notMatch(logs, secret)
})
