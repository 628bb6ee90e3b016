import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { bodyOf } from '@webchat/testkit'
import { startTopology } from './helpers/topology.js'
import { connect } from './helpers/users.js'
import { haveTools } from './helpers/tools.js'

/**
 * Mail for people who are away, in the compose topology (nginx, auth, two chat instances, an SMTP
 * sink where compose has MailHog), with compose's settings but shorter waits: a direct message to
 * someone who is not connected reaches their mailbox, and its one-click link works through nginx.
 */

if (haveTools(t, ['nginx', 'docker-compose'])) {
  t.test('a direct message to someone away is mailed through the topology; its unsubscribe link works through nginx', async (t) => {
    const topo = await startTopology(t, {
      chats: 2,
      chatEnv: { NOTIFY_DELAY_MS: '1000', NOTIFY_IDLE_MS: '1000', NOTIFY_SWEEP_MS: '200' },
      authEnv: { NOTIFY_POLL_MS: '200' }
    })
    const ben = await topo.signIn('ben@example.com', 'Ben')
    const benId = (await ben.me())!.id
    const ana = await connect(t, topo, 'ana@example.com', 'Ana', 'lobby')
    const room = await ana.conn.direct(benId)
    await ana.conn.join(room.id)
    await ana.conn.send(room.id, 'Lunch at noon?')
    await ana.conn.send(room.id, 'The usual place')

    const toBen = () => topo.sink.mails.filter((m) => m.to.includes('ben@example.com') && /^List-Unsubscribe:/im.test(m.raw))
    const deadline = Date.now() + 20_000
    while (toBen().length === 0 && Date.now() < deadline) await sleep(100)
    await sleep(1500)
    t.equal(toBen().length, 1, 'one mail for both messages')
    const mail = toBen()[0]!
    const body = bodyOf(mail)
    t.ok(body.includes('Lunch at noon?') && body.includes('The usual place'), 'listing both')
    const link = /^List-Unsubscribe: <([^>]+)>/im.exec(mail.raw.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? ''
    // The app's address: compose's first ALLOWED_ORIGINS entry (APP_URL unset), on nginx's port.
    const app = new URL(link)
    t.ok(['localhost', '127.0.0.1'].includes(app.hostname) && app.port === new URL(topo.origin).port, `its links point at the public entry point (nginx): ${app.origin}`)
    t.ok(body.includes(`${app.origin}/r/${room.id}`), 'and link the room in the web app')
    const page = await fetch(link)
    t.equal(page.status, 200, 'the link opens a page through nginx')
    await page.arrayBuffer()
    const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
    t.equal(oneClick.status, 200, 'and the one-click POST a mail client makes turns mail off')
    await oneClick.arrayBuffer()
    t.same(await ben.notifications(), { email: 'off' }, 'as the user\'s own setting says')
  })
}
