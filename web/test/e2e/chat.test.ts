import t from 'tap'
import { createAuthClient, createConnection } from '@webchat/client'
import { DESKTOP, startHarness } from './harness.js'
import { bothSignedIn, joinRoom, ROOM, say, shot, texts, WAIT, waitForText, XSS } from './page-actions.js'

t.test('two people chat through two chat instances', async (t) => {
  const h = await startHarness(t)
  if (h === undefined) return
  const { stack, a, b, ana, ben, step } = h

  await step('Ana and Ben sign in', async (t) => {
    await bothSignedIn(stack, ana, ben)
    t.same([await ana.locator('.account-name').textContent(), await ben.locator('.account-name').textContent()], ['Ana', 'Ben'])
  })

  await step('join one room on two chat instances and see each other', async (t) => {
    await joinRoom(ana, ROOM)
    await joinRoom(ben, ROOM)
    t.equal(new URL(ana.url()).pathname, `/r/${ROOM}`)
    await ana.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    await ben.locator('.members .member-list:not(.offline) .member-name', { hasText: 'Ana' }).waitFor({ timeout: WAIT })
    t.pass('presence across instances')
  })

  await step('messages, typing and read markers', async (t) => {
    await say(ana, 'Morning! The new sign-in page is up for review.')
    await waitForText(ben, 'Morning! The new sign-in page is up for review.')
    await say(ana, 'Two things to check:\n1. the resend countdown\n2. the error for a wrong code')
    await waitForText(ben, 'Two things to check:\n1. the resend countdown\n2. the error for a wrong code')
    await ben.locator('#composer-input').pressSequentially('Looks good', { delay: 20 })
    await ana.locator('.typing', { hasText: 'Ben is typing…' }).waitFor({ timeout: WAIT })
    await ben.locator('#composer-input').press('Enter')
    await waitForText(ana, 'Looks good')
    await ana.locator('.typing', { hasText: /^$/ }).waitFor({ timeout: WAIT })
    await ana.locator('.msg-seen', { hasText: 'Seen by Ben' }).waitFor({ timeout: WAIT })
    await ben.locator('.msg-seen', { hasText: 'Seen by Ana' }).waitFor({ timeout: WAIT })
    const shift = ben.locator('#composer-input')
    await shift.fill('One line')
    await shift.press('Shift+Enter')
    await shift.pressSequentially('and another')
    t.equal(await shift.inputValue(), 'One line\nand another', 'Shift+Enter adds a line')
    await shift.press('Enter')
    await waitForText(ana, 'One line\nand another')
    t.same((await texts(ana)).slice(-4), (await texts(ben)).slice(-4), 'both see the same conversation')
  })

  await step('user text is shown as text and runs nothing', async (t) => {
    await say(ana, XSS)
    await waitForText(ben, XSS)
    t.equal(await ben.locator('.rows img').count(), 0, 'no element made from the message')
    t.equal(await ben.locator('.rows .msg-text', { hasText: XSS }).first().textContent(), XSS)
    await ben.waitForTimeout(300)
    t.same([...a.dialogs, ...b.dialogs], [], 'no alert ran')
  })

  await step('unread counts in other rooms', async (t) => {
    await ben.locator('.room-link[data-room="general"]').click()
    await ben.locator('#room-title', { hasText: '#general' }).waitFor({ timeout: WAIT })
    await say(ben, 'Lunch at 12:30 in the usual place?')
    const badge = ana.locator('.room-link[data-room="general"] .badge')
    await badge.waitFor({ timeout: WAIT })
    t.equal(await badge.textContent(), '1')
    t.equal(await ana.locator('.room-link[data-room="general"]').getAttribute('aria-label'), 'general, 1 unread')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.locator('#room-title', { hasText: `#${ROOM}` }).waitFor({ timeout: WAIT })
  })

  await step('a busy chat, on a desktop and on a phone', async () => {
    for (const line of [
      'I checked the countdown, it reads "Resend code in 42 s" and then enables itself.',
      'The locked message shows the time too ✓'
    ]) {
      await say(ben, line)
      await waitForText(ana, line)
    }
    await say(ana, 'Great, merging after lunch.')
    await waitForText(ben, 'Great, merging after lunch.')
    await ben.locator('#composer-input').pressSequentially('Sounds', { delay: 20 })
    await ana.locator('.typing', { hasText: 'Ben is typing…' }).waitFor({ timeout: WAIT })
    await shot(ana, 'chat-desktop.png')
    await ben.locator('#composer-input').fill('')
    await ben.setViewportSize({ width: 390, height: 844 })
    await ben.locator('.msg-text').last().waitFor({ timeout: WAIT })
    await shot(ben, 'chat-phone.png')
    await ben.getByRole('button', { name: 'All rooms' }).click()
    await shot(ben, 'rooms-phone.png')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.setViewportSize(DESKTOP.viewport)
  })

  await step('older messages load on scroll up', async (t) => {
    // A third user fills a room from Node with the same client library, through the other instance.
    const cy = createAuthClient({ baseUrl: stack.auths[0]!.url })
    await cy.requestCode('cy@example.com')
    await cy.verify('cy@example.com', await stack.sink.codeFor('cy@example.com'))
    const conn = createConnection({ url: stack.chats[0]!.url, getToken: async () => await cy.token(), WebSocket: stack.socketFrom(0) })
    t.teardown(() => conn.close())
    await conn.join('archive')
    for (let i = 1; i <= 60; i++) await conn.send('archive', `archived message ${i}`)
    await joinRoom(ben, 'archive')
    await waitForText(ben, 'archived message 60')
    t.equal((await texts(ben)).length, 50, 'the newest page first')
    await ben.getByRole('button', { name: 'Load older messages' }).waitFor({ timeout: WAIT })
    await ben.locator('.messages').evaluate((el) => { el.scrollTop = 0 })
    await waitForText(ben, 'archived message 1')
    await ben.getByText('This is the beginning of #archive.').waitFor({ timeout: WAIT })
    t.same(await texts(ben), Array.from({ length: 60 }, (_, i) => `archived message ${i + 1}`), 'all 60, in order, once')
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    await ben.locator('#room-title', { hasText: `#${ROOM}` }).waitFor({ timeout: WAIT })
  })

  await step('a reader scrolled up is pointed at new messages; the title and the address follow the rooms', async (t) => {
    await ben.locator('.room-link[data-room="general"]').click()
    await say(ben, 'Anyone for coffee?') // the second unread message there, after lunch
    await ana.waitForFunction(() => document.title === '(2) #design-review · webchat', undefined, { timeout: WAIT })
    await ben.locator(`.room-link[data-room="${ROOM}"]`).click()
    // Enough lines that the top of the room is a long way above its newest message.
    for (let i = 1; i <= 12; i++) await say(ben, `Notes, part ${i}`)
    await waitForText(ana, 'Notes, part 12')
    await ana.locator('.messages').evaluate((el) => { el.scrollTop = 0 })
    for (const line of ['Below one', 'Below two']) await say(ben, line)
    await waitForText(ana, 'Below two')
    const newBelow = ana.locator('.new-below')
    await newBelow.waitFor({ timeout: WAIT })
    t.equal(await newBelow.textContent(), '2 new messages ↓')
    await newBelow.click()
    await newBelow.waitFor({ state: 'hidden', timeout: WAIT })
    t.ok(await ana.locator('.messages').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80), 'at the newest message')
    await ana.locator('.room-link[data-room="general"]').click()
    // The address and the title follow the room a render later: wait for them, then compare.
    await ana.locator('#room-title', { hasText: '#general' }).waitFor({ timeout: WAIT })
    await ana.waitForFunction(() => location.pathname === '/r/general' && document.title === '#general · webchat', undefined, { timeout: WAIT }).catch(() => {})
    t.same([new URL(ana.url()).pathname, await ana.title()], ['/r/general', '#general · webchat'])
    await ana.goBack()
    await ana.locator('#room-title', { hasText: `#${ROOM}` }).waitFor({ timeout: WAIT })
    t.equal(await ana.title(), `#${ROOM} · webchat`, 'back opens the room before')
  })

  h.finish()
})
