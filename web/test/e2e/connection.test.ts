import t from 'tap'
import { startHarness } from './harness.js'
import { bothSignedIn, say, shot, texts, together, WAIT, waitForText } from './page-actions.js'

t.test('a lost connection, going offline, and the session ending', async (t) => {
  const h = await startHarness(t)
  if (h === undefined) return
  const { stack, ana, ben, anaContext, benContext, step } = h

  await step('Ana and Ben talk in one room', async (t) => {
    await bothSignedIn(stack, ana, ben)
    await together(ana, ben)
    await say(ana, 'Are the notes up?')
    await waitForText(ben, 'Are the notes up?')
    await say(ben, 'Yes, in the usual place.')
    await waitForText(ana, 'Yes, in the usual place.')
    t.same(await texts(ben), ['Are the notes up?', 'Yes, in the usual place.'])
  })

  await step('a lost chat instance: the banner, then the missed messages once each', async (t) => {
    const before = await texts(ben)
    await stack.chats[1]!.stop()
    const banner = ben.locator('.banner')
    await banner.getByText(/Connection lost\. Reconnecting|Reconnecting…/).waitFor({ timeout: WAIT })
    await say(ben, 'typed while the connection was down')
    await ben.locator('.pending-rows .msg-text', { hasText: 'typed while the connection was down' }).waitFor({ timeout: WAIT })
    const missed = ['missed one', 'missed two', 'missed three']
    for (const line of missed) {
      await say(ana, line)
      await waitForText(ana, line)
    }
    await shot(ben, 'reconnecting-desktop.png')
    await stack.chats[1]!.start()
    await banner.waitFor({ state: 'hidden', timeout: 30_000 })
    for (const line of missed) await waitForText(ben, line)
    await waitForText(ana, 'typed while the connection was down')
    await waitForText(ben, 'typed while the connection was down')
    const after = await texts(ben)
    for (const line of [...missed, 'typed while the connection was down']) {
      t.equal(after.filter((x) => x === line).length, 1, `"${line}" once`)
    }
    t.same(after.slice(0, before.length), before, 'what was there stays, in order')
    const ids = await ben.locator('.rows .msg[data-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))
    t.equal(new Set(ids).size, ids.length, 'no message id twice')
    t.equal(await ben.locator('.pending-rows .msg').count(), 0, 'nothing left pending')
    t.equal((await texts(ana)).filter((x) => x === 'typed while the connection was down').length, 1, 'the queued message arrived once')
  })

  await step('offline, then back', async (t) => {
    await benContext.setOffline(true)
    await ben.locator('.banner').getByText('You are offline.').waitFor({ timeout: WAIT })
    await say(ben, 'written on the train')
    await ben.locator('.pending-rows .msg-text', { hasText: 'written on the train' }).waitFor({ timeout: WAIT })
    await benContext.setOffline(false)
    await ben.locator('.banner').waitFor({ state: 'hidden', timeout: 30_000 })
    await waitForText(ana, 'written on the train')
    await waitForText(ben, 'written on the train')
    t.equal((await texts(ana)).filter((x) => x === 'written on the train').length, 1, 'delivered once')
  })

  await step('log out', async (t) => {
    await ben.getByRole('button', { name: 'Log out' }).click()
    await ben.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await ana.locator('.members .member-list.offline .member-name', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    t.pass('Ana sees Ben go offline')
  })

  await step('logging out in another tab ends the session here too', async (t) => {
    const other = await anaContext.newPage()
    await other.goto(stack.auths[0]!.url + '/')
    await other.getByRole('button', { name: 'Log out' }).click()
    await other.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    await ana.locator('.banner').getByText('Your session has ended.').waitFor({ timeout: WAIT })
    await shot(ana, 'session-ended-desktop.png')
    await ana.getByRole('button', { name: 'Sign in again' }).click()
    await ana.getByRole('heading', { name: 'Sign in to webchat' }).waitFor({ timeout: WAIT })
    t.pass('the banner offers to sign in again')
  })

  h.finish()
})
