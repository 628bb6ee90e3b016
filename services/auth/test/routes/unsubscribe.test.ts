import t from 'tap'
import { ENGINES, build, sleep } from '../helper.js'
import { QUICK_WORKER, drained, headerOf, item, job, mailsTo, outcomes, push, signedUp } from '../notifications/jobs.js'

const settingsOf = async (app: Awaited<ReturnType<typeof build>>['app'], cookie: string): Promise<string> =>
  (await app.inject({ method: 'GET', url: '/auth/me/notifications', headers: { cookie } })).json().email

for (const kind of ENGINES) {
  t.test(`${kind}: the link of a mail: GET shows a button and changes nothing, POST turns mail off, forgeries change nothing`, async (t) => {
    const built = await build(t, kind, { env: QUICK_WORKER })
    const { app, engine, sink } = built
    const bob = await signedUp(built, 'bob@example.com')
    const ann = await signedUp(built, 'ann@example.com')
    await push(engine, job(bob.id, [item('direct')]))
    await drained(engine)
    const link = new URL(headerOf(mailsTo(sink, 'bob@example.com')[0]!, 'List-Unsubscribe')!.slice(1, -1))
    const path = `${link.pathname}${link.search}`
    t.equal(link.origin, 'https://chat.example.com', 'on the app\'s origin')

    const page = await app.inject({ method: 'GET', url: path })
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(page.headers['content-security-policy'], /default-src 'none'/)
    t.equal(page.headers['cache-control'], 'no-store')
    t.match(page.body, `<form method="post" action="${path.replace('&', '&amp;')}"><button type="submit">`)
    t.notMatch(page.body, /<script/i)
    t.equal(await settingsOf(app, bob.cookie), 'all', 'a GET changes nothing')

    const signature = link.searchParams.get('s')!
    const forged = [
      `/auth/unsubscribe?u=${bob.id}&s=${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      `/auth/unsubscribe?u=${ann.id}&s=${signature}`,
      `/auth/unsubscribe?u=${bob.id}`,
      `/auth/unsubscribe?s=${signature}`,
      '/auth/unsubscribe'
    ]
    for (const url of forged) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await app.inject({ method, url })
        t.equal(res.statusCode, 400, `${method} ${url}`)
        t.match(res.body, 'Nothing was changed')
      }
    }
    t.equal(await settingsOf(app, bob.cookie), 'all')
    t.equal(await settingsOf(app, ann.cookie), 'all', 'nor anyone else')

    // As a mail client sends it (RFC 8058): a form body, from no page of ours.
    const done = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
      payload: 'List-Unsubscribe=One-Click'
    })
    t.equal(done.statusCode, 200)
    t.match(done.body, 'You will get no more of these mails')
    t.equal(await settingsOf(app, bob.cookie), 'off')
    t.equal(await settingsOf(app, ann.cookie), 'all')
    t.equal((await app.inject({ method: 'POST', url: path })).statusCode, 200, 'an empty body too, and again')

    await push(engine, job(bob.id, [item('direct')]))
    await drained(engine)
    await sleep(100)
    t.equal(mailsTo(sink, 'bob@example.com').length, 1, 'the next job sends nothing')
    t.equal(await outcomes(app, 'unsubscribed'), 1)
  })
}
