import t from 'tap'
import type { Page } from 'playwright-core'
import { createConnection, type Connection } from '@webchat/client'
import { DESKTOP, startHarness } from './harness.js'
import { bothSignedIn, focusedBy, say, shot, signIn, WAIT, waitForText } from './page-actions.js'

const PHONE = { width: 390, height: 844 }

/** The signed-in user's id and a fresh token, from the page's own session. */
async function sessionOf (page: Page): Promise<{ id: string, token: string }> {
  return await page.evaluate(async () => {
    const { user } = await (await fetch('/auth/me')).json() as { user: { id: string } }
    const { token } = await (await fetch('/auth/token', { method: 'POST' })).json() as { token: string }
    return { id: user.id, token }
  })
}

async function roomMenu (page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Room actions' }).click()
  await page.getByRole('menuitem', { name: item }).click()
}

async function memberMenu (page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click()
  await page.getByRole('menu', { name: `Actions for ${name}` }).waitFor({ timeout: WAIT })
}

t.test('private rooms, roles and moderation, direct conversations, across two chat instances', async (t) => {
  const h = await startHarness(t)
  if (h === undefined) return
  const { stack, ana, ben, step } = h
  const phone = h.phone.page
  let room = ''
  let benId = ''
  // Ana's requests by user id (as a backend's product would name people), through the client library on chat 0.
  let anaApi: Connection | undefined
  t.teardown(() => anaApi?.close())

  await step('Ana and Ben sign in', async () => {
    await bothSignedIn(stack, ana, ben)
    benId = (await sessionOf(ben)).id
    anaApi = createConnection({ url: stack.chats[0]!.url, getToken: async () => (await sessionOf(ana)).token, WebSocket: stack.socketFrom(0) })
  })

  await step('Ana makes a private room in the "New room" dialog, and it opens', async (t) => {
    await ana.getByRole('button', { name: 'New room' }).click()
    const dialog = ana.getByRole('dialog', { name: 'New room' })
    await dialog.waitFor({ timeout: WAIT })
    t.equal(await focusedBy(ana, 'id', 'new-room-name'), 'new-room-name', 'focus is in the title field')
    await ana.getByRole('button', { name: 'Create room' }).click()
    await dialog.getByText('Give the room a title.').waitFor({ timeout: WAIT })
    await dialog.getByLabel('Title').fill('Launch plan')
    await dialog.getByLabel('Topic (optional)').fill('Everything for Monday’s release')
    await shot(ana, 'rooms-dialog-desktop.png')
    await ana.getByRole('button', { name: 'Create room' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ana.locator('#room-title', { hasText: 'Launch plan' }).waitFor({ timeout: WAIT })
    room = new URL(ana.url()).pathname.replace('/r/', '')
    t.match(room, /^p-[a-z2-7]{24}$/, 'the address names the room by its id')
    t.equal(await ana.locator('.room-topic').textContent(), 'Everything for Monday’s release')
    t.equal(await ana.locator(`.room-link[data-room="${room}"]`).getAttribute('aria-label'), 'Launch plan (private)')
    await ana.locator(`.members .member[data-user] .role-badge`, { hasText: 'Owner' }).waitFor({ timeout: WAIT })
  })

  await step('an outsider who types the room\'s id gets "not found"', async (t) => {
    await ben.getByLabel('Join a room').fill(room)
    await ben.getByLabel('Join a room').press('Enter')
    await ben.locator('#join-error', { hasText: /not found/i }).waitFor({ timeout: WAIT })
    t.equal(await ben.locator(`.room-link[data-room="${room}"]`).count(), 0, 'and no room of that id in the list')
    await ben.locator('#room-title', { hasText: '#general' }).waitFor({ timeout: WAIT })
  })

  await step('Ana invites Ben by his email address; the room appears in his list at once, on the other instance', async (t) => {
    await roomMenu(ana, 'Invite by email…')
    const dialog = ana.getByRole('dialog', { name: 'Invite someone' })
    await dialog.waitFor({ timeout: WAIT })
    t.equal(await focusedBy(ana, 'id', 'invite-email'), 'invite-email', 'focus is in the address field')
    await dialog.getByLabel('Email address').fill('not an address')
    await dialog.getByRole('button', { name: 'Invite' }).click()
    await dialog.getByText('Type an email address, like ana@example.com.').waitFor({ timeout: WAIT })
    await dialog.getByLabel('Email address').fill('ben@example.com')
    await dialog.getByRole('button', { name: 'Invite' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ana.locator('.notice', { hasText: 'Invitation sent to ben@example.com.' }).waitFor({ timeout: WAIT })
    const link = ben.locator(`.room-link[data-room="${room}"]`)
    await link.waitFor({ timeout: WAIT })
    t.equal(await link.getAttribute('data-kind'), 'private')
    await link.click()
    await ben.locator('#room-title', { hasText: 'Launch plan' }).waitFor({ timeout: WAIT })
    await say(ben, 'Thanks for the invitation!')
    await waitForText(ana, 'Thanks for the invitation!')
    await ana.locator(`.members .member[data-user="${benId}"]`).waitFor({ timeout: WAIT })
    t.equal(await ben.getByRole('button', { name: 'Actions for Ana' }).count(), 0, 'a member is offered nothing to do to others')
    await ana.getByRole('button', { name: 'Dismiss' }).click()
  })

  await step('a colleague who never signed in is invited by address, and finds the room at their first sign-in', async (t) => {
    await roomMenu(ana, 'Invite by email…')
    const dialog = ana.getByRole('dialog', { name: 'Invite someone' })
    await dialog.getByLabel('Email address').fill('dee@example.com')
    await dialog.getByRole('button', { name: 'Invite' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ana.locator('.members .member-list.offline .member', { hasText: 'dee' }).waitFor({ timeout: WAIT })
    await ana.getByRole('button', { name: 'Dismiss' }).click()
    // Dee signs in at desktop width (Rename is in the sidebar), then reads on a phone.
    await phone.setViewportSize(DESKTOP.viewport)
    await phone.goto(stack.auths[0]!.url + '/')
    await signIn(phone, stack, 'dee@example.com', 'Dee')
    await phone.setViewportSize(PHONE)
    await phone.getByRole('button', { name: 'All rooms' }).click()
    const link = phone.locator(`.room-link[data-room="${room}"]`, { hasText: 'Launch plan' })
    await link.waitFor({ timeout: WAIT })
    await link.click()
    await say(phone, 'Hello from Dee')
    await waitForText(ana, 'Hello from Dee')
    t.pass('Dee is in the room and writes there')
  })

  await step('Ana mutes Ben from his menu: he sees why he cannot write; then unmutes him', async (t) => {
    await memberMenu(ana, 'Ben')
    t.same(await ana.getByRole('menuitem').allTextContents(), ['Mute…', 'Make moderator', 'Remove from room', 'Ban from room', 'Make owner…'], 'what an owner may do')
    await shot(ana, 'rooms-member-menu-desktop.png')
    await ana.getByRole('menuitem', { name: 'Mute…' }).click()
    await ana.getByText('Mute Ben for:').waitFor({ timeout: WAIT })
    t.equal(await focusedBy(ana, 'text', '15 minutes'), '15 minutes', 'the next step takes focus at its first choice')
    await shot(ana, 'rooms-member-menu-mute-desktop.png')
    await ana.getByRole('menuitem', { name: '15 minutes' }).click()
    await ben.locator('.composer-blocked', { hasText: 'You are muted in this room until' }).waitFor({ timeout: WAIT })
    await ana.locator(`.member[data-user="${benId}"] .role-muted`).waitFor({ timeout: WAIT })
    await shot(ben, 'rooms-muted-desktop.png')
    await memberMenu(ana, 'Ben')
    await ana.getByRole('menuitem', { name: 'Unmute' }).click()
    await ben.locator('#composer-input').waitFor({ timeout: WAIT })
    t.pass('unmuted: the message box is back')
  })

  await step('Ana makes Ben a moderator; both see the badge', async () => {
    await memberMenu(ana, 'Ben')
    await ana.getByRole('menuitem', { name: 'Make moderator' }).click()
    await ana.locator(`.member[data-user="${benId}"] .role-moderator`).waitFor({ timeout: WAIT })
    await ben.locator(`.member[data-user="${benId}"] .role-moderator`).waitFor({ timeout: WAIT })
  })

  await step('Ana edits the title and topic; Ben sees them change', async (t) => {
    await roomMenu(ana, 'Edit title and topic…')
    const dialog = ana.getByRole('dialog', { name: 'Edit room' })
    t.equal(await dialog.getByLabel('Title').inputValue(), 'Launch plan', 'the dialog starts with the room\'s title')
    await dialog.getByLabel('Title').fill('Launch plan v2')
    await dialog.getByLabel('Topic (optional)').fill('Moved to Tuesday')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ben.locator('#room-title', { hasText: 'Launch plan v2' }).waitFor({ timeout: WAIT })
    await ben.locator('.room-topic', { hasText: 'Moved to Tuesday' }).waitFor({ timeout: WAIT })
    await ben.locator(`.room-link[data-room="${room}"]`, { hasText: 'Launch plan v2' }).waitFor({ timeout: WAIT })
  })

  await step('the owner cannot leave a room with others in it: the server says so, by the menu', async (t) => {
    await roomMenu(ana, 'Leave room')
    await ana.getByRole('menuitem', { name: 'Yes, leave' }).click()
    const error = ana.locator('.room-error')
    await error.waitFor({ timeout: WAIT })
    t.match(await error.textContent(), /hand/i)
    t.equal(await ana.locator(`.room-link[data-room="${room}"]`).count(), 1, 'and the room stays')
    await error.getByRole('button', { name: 'Dismiss' }).click()
  })

  await step('Ana removes Ben: within a second he is told, and the room leaves his list', async (t) => {
    await memberMenu(ana, 'Ben')
    const started = Date.now()
    await ana.getByRole('menuitem', { name: 'Remove from room' }).click()
    const notice = ben.locator('.notice', { hasText: 'You were removed from Launch plan v2.' })
    await notice.waitFor({ timeout: WAIT })
    const took = Date.now() - started
    t.ok(took < 1000, `shown ${took} ms after the click`)
    await ben.locator(`.room-link[data-room="${room}"]`).waitFor({ state: 'detached', timeout: WAIT })
    t.notMatch(await ben.locator('#room-title').textContent(), /Launch plan/, 'another room is open')
    await shot(ben, 'rooms-removed-desktop.png')
    await ben.setViewportSize(PHONE)
    await shot(ben, 'rooms-removed-phone.png')
    await ben.setViewportSize(DESKTOP.viewport)
    await ben.getByRole('button', { name: 'Dismiss' }).click()
    await ana.locator(`.member[data-user="${benId}"]`).waitFor({ state: 'detached', timeout: WAIT })
  })

  await step('a direct conversation: it shows under "Direct messages" for both, by the other\'s name', async (t) => {
    await ana.getByRole('button', { name: 'New message' }).click()
    const dialog = ana.getByRole('dialog', { name: 'New message' })
    await dialog.waitFor({ timeout: WAIT })
    t.equal(await focusedBy(ana, 'id', 'new-direct-email'), 'new-direct-email')
    await ana.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    t.equal(await focusedBy(ana, 'label', 'New message'), 'New message', 'Escape closes it, focus back on the button')
    await ana.getByRole('button', { name: 'New message' }).click()
    await dialog.getByLabel('Email address').fill('ben@example.com')
    await dialog.getByRole('button', { name: 'Start conversation' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: WAIT })
    await ana.locator('#room-title', { hasText: 'Ben' }).waitFor({ timeout: WAIT })
    const direct = { id: new URL(ana.url()).pathname.replace('/r/', '') }
    t.match(direct.id, /^d-/, 'the conversation opens')
    const anaLink = ana.locator(`.room-link[data-room="${direct.id}"]`)
    const benLink = ben.locator(`.room-link[data-room="${direct.id}"]`)
    await anaLink.waitFor({ timeout: WAIT })
    await benLink.waitFor({ timeout: WAIT })
    // The server may list the other person before it has their name: it shows once they are seen.
    await anaLink.locator('.room-name', { hasText: /^Ben$/ }).waitFor({ timeout: WAIT })
    await benLink.locator('.room-name', { hasText: /^Ana$/ }).waitFor({ timeout: WAIT })
    t.pass('each sees it by the other\'s name')
    await anaLink.click()
    await say(ana, 'A word in private?')
    await benLink.locator('.badge').waitFor({ timeout: WAIT })
    await benLink.click()
    await waitForText(ben, 'A word in private?')
    t.same(await ana.locator('.rooms .section-title').allTextContents(), ['Rooms', 'Direct messages'])
    t.same(await ana.locator('.room-link').evaluateAll((links) => links.map((l) => l.getAttribute('data-kind'))), ['public', 'private', 'direct'])
    await shot(ana, 'rooms-list-desktop.png')
  })

  await step('on a phone: the member menu, and a dialog that Escape closes', async (t) => {
    await ana.setViewportSize(PHONE)
    await ana.getByRole('button', { name: 'All rooms' }).click()
    await ana.locator(`.room-link[data-room="${room}"]`).click()
    await anaApi!.invite(room, benId)
    await ben.setViewportSize(PHONE)
    await ben.getByRole('button', { name: 'All rooms' }).click()
    await ben.locator(`.room-link[data-room="${room}"]`).waitFor({ timeout: WAIT })
    await shot(ben, 'rooms-list-phone.png')
    await ana.getByRole('button', { name: 'Show members' }).click()
    await memberMenu(ana, 'Ben')
    await shot(ana, 'rooms-member-menu-phone.png')
    await ana.keyboard.press('Escape')
    await ana.getByRole('menu').waitFor({ state: 'detached', timeout: WAIT })
    t.equal(await focusedBy(ana, 'label', 'Actions for Ben'), 'Actions for Ben', 'Escape closes the menu, focus back on its button')
    await ana.getByRole('button', { name: 'Close members' }).click()
    await roomMenu(ana, 'Invite by email…')
    await ana.getByRole('dialog', { name: 'Invite someone' }).waitFor({ timeout: WAIT })
    await shot(ana, 'rooms-dialog-phone.png')
    await ana.keyboard.press('Escape')
    await ana.getByRole('dialog', { name: 'Invite someone' }).waitFor({ state: 'hidden', timeout: WAIT })
    await ana.setViewportSize(DESKTOP.viewport)
    await ben.setViewportSize(DESKTOP.viewport)
  })

  await step('Ana bans Ben: he is told; she sees him among the banned and lifts the ban', async (t) => {
    await ben.locator(`.room-link[data-room="${room}"]`).click()
    await ana.locator(`.members .member[data-user="${benId}"]`).waitFor({ timeout: WAIT })
    await memberMenu(ana, 'Ben')
    await ana.getByRole('menuitem', { name: 'Ban from room' }).click()
    await ben.locator('.notice', { hasText: 'You were banned from Launch plan v2.' }).waitFor({ timeout: WAIT })
    await ben.locator(`.room-link[data-room="${room}"]`).waitFor({ state: 'detached', timeout: WAIT })
    const banned = ana.locator('.member-list.banned .member', { hasText: 'Ben' })
    await banned.waitFor({ timeout: WAIT })
    await shot(ana, 'rooms-banned-desktop.png')
    await t.rejects(anaApi!.invite(room, benId), { code: 'banned' }, 'a banned user cannot be invited back')
    await banned.getByRole('button', { name: 'Unban Ben' }).click()
    await banned.waitFor({ state: 'detached', timeout: WAIT })
    await anaApi!.invite(room, benId)
    await ben.locator(`.room-link[data-room="${room}"]`).click()
    await ben.getByRole('button', { name: 'Dismiss' }).click()
  })

  await step('Ana hands the room over to Ben (confirmed), then leaves it', async (t) => {
    await memberMenu(ana, 'Ben')
    await ana.getByRole('menuitem', { name: 'Make owner…' }).click()
    await ana.getByText('Make Ben the owner? You become a moderator.').waitFor({ timeout: WAIT })
    await ana.getByRole('menuitem', { name: 'Yes, make owner' }).click()
    await ben.locator(`.member[data-user="${benId}"] .role-owner`).waitFor({ timeout: WAIT })
    await ana.locator('.member', { hasText: '(you)' }).locator('.role-moderator').waitFor({ timeout: WAIT })
    t.equal(await ana.getByRole('button', { name: 'Actions for Ben' }).count(), 0, 'a moderator has nothing to do to the owner')
    await roomMenu(ana, 'Leave room')
    await ana.getByRole('menuitem', { name: 'Yes, leave' }).click()
    await ana.locator(`.room-link[data-room="${room}"]`).waitFor({ state: 'detached', timeout: WAIT })
    const anaInBen = ben.locator('.member', { hasText: 'Ana' })
    await anaInBen.waitFor({ state: 'detached', timeout: WAIT })
    t.equal(await ana.locator('.notice:not([hidden])').count(), 0, 'no notice for leaving oneself')
  })

  await step('Ben leaves the direct conversation: gone from his list, Ana keeps it', async (t) => {
    await ben.locator('.room-link[data-kind="direct"]').click()
    await roomMenu(ben, 'Leave conversation')
    await ben.getByRole('menuitem', { name: 'Yes, leave' }).click()
    await ben.locator('.room-link[data-kind="direct"]').waitFor({ state: 'detached', timeout: WAIT })
    t.equal(await ben.locator('.notice:not([hidden])').count(), 0, 'no notice for leaving oneself')
    await ana.waitForTimeout(300)
    t.equal(await ana.locator('.room-link[data-kind="direct"]').count(), 1, 'the other keeps it')
  })

  h.finish()
})
