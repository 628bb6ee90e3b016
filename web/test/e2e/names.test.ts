import t from 'tap'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { postAs, startHarness } from './harness.js'
import { userTag } from '../../src/model/identity.js'
import { artifacts, joinRoom, ROOM, say, shot, signIn, WAIT, waitForText } from './page-actions.js'

/** Issue 14, item 4: two people with one name are told apart; direction controls in a text or name are shown, not obeyed. */

const NAME = 'Ada Lovelace'
const TAG = /^[0-9A-HJKMNP-TV-Z]{5}$/

interface Shown { id: string, name: string, tag: string, title: string, you: boolean }

/** The x at which each piece of an element's text is drawn (its first text node holding it). */
async function xOf (element: Locator, pieces: string[]): Promise<number[]> {
  return await element.evaluate((el, pieces) => pieces.map((piece) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = (node.textContent ?? '').indexOf(piece)
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + piece.length)
      return range.getBoundingClientRect().x
    }
    return Number.NaN
  }), pieces)
}

/** The members panel as a page shows it. */
async function members (page: Page): Promise<Shown[]> {
  return await page.locator('.members .member-list:not(.offline) .member').evaluateAll((items) => items.map((li) => {
    const name = li.querySelector('.member-name')!
    return {
      id: li.getAttribute('data-user') ?? '',
      name: name.querySelector('bdi')?.textContent ?? '',
      tag: (name.querySelector('.name-tag')?.textContent ?? '').trim().replace(/^#/, ''),
      title: name.getAttribute('title') ?? '',
      you: (name.textContent ?? '').includes('(you)')
    }
  }))
}

t.test('two people named alike are told apart, and a message cannot turn the row around it', async (t) => {
  const h = await startHarness(t)
  if (h === undefined) return
  const { stack, ana, ben, step } = h
  let anaShown: Shown | undefined
  let benShown: Shown | undefined

  await step(`two people sign in and both take the name "${NAME}"`, async (t) => {
    await ana.goto(stack.auths[0]!.url + '/')
    await signIn(ana, stack, 'ana@example.com', NAME)
    await ben.goto(stack.auths[1]!.url + '/')
    await signIn(ben, stack, 'ben@example.com', NAME)
    t.same([await ana.locator('.account-name').textContent(), await ben.locator('.account-name').textContent()], [NAME, NAME])
  })

  await step('a name that shows as nothing is refused in the rename dialog', async (t) => {
    await ben.getByRole('button', { name: 'Rename' }).click()
    await ben.getByLabel('Display name', { exact: true }).fill('\u3164\u3164\u3164')
    await ben.getByRole('button', { name: 'Save' }).click()
    await ben.locator('#rename-error', { hasText: 'no invisible, filler or control characters' }).waitFor({ timeout: WAIT })
    await ben.getByRole('button', { name: 'Cancel' }).click()
    t.equal(await ben.locator('.account-name').textContent(), NAME, 'the name is unchanged')
  })

  await step('the members panel tells them apart: a tag from the id, on the line and on hover', async (t) => {
    await joinRoom(ana, ROOM)
    await joinRoom(ben, ROOM)
    await ana.locator('.members .member-list:not(.offline) .member').nth(1).waitFor({ timeout: WAIT })
    await ben.locator('.members .member-list:not(.offline) .member').nth(1).waitFor({ timeout: WAIT })
    const seenByAna = await members(ana)
    const seenByBen = await members(ben)
    t.equal(seenByAna.length, 2)
    anaShown = seenByAna.find((m) => m.you)
    benShown = seenByAna.find((m) => !m.you)
    if (anaShown === undefined || benShown === undefined) throw new Error(`members: ${JSON.stringify(seenByAna)}`)
    for (const m of seenByAna) {
      t.equal(m.name, NAME, 'the same name')
      t.match(m.tag, TAG, 'a tag')
      t.equal(m.title, `${NAME} #${m.tag}`, 'the hover text names the tag')
    }
    t.not(anaShown.tag, benShown.tag, 'the tags differ')
    t.not(anaShown.id, benShown.id)
    t.same(seenByBen.map(({ id, tag }) => ({ id, tag })).sort((a, b) => a.id.localeCompare(b.id)),
      seenByAna.map(({ id, tag }) => ({ id, tag })).sort((a, b) => a.id.localeCompare(b.id)), 'everyone sees the same tag for a person')
    t.equal(seenByBen.find((m) => m.you)?.tag, benShown.tag, 'Ben sees his own tag as Ana sees it')
  })

  await step('in the messages, each author shows with the tag next to the shared name, and on hover', async (t) => {
    await say(ana, 'Hello, this is the real Ada.')
    await waitForText(ben, 'Hello, this is the real Ada.')
    await say(ben, 'Hello, this is also Ada.')
    await waitForText(ana, 'Hello, this is also Ada.')
    for (const page of [ana, ben]) {
      for (const who of [anaShown!, benShown!]) {
        const row = page.locator(`.rows:not(.pending-rows) .msg[data-user="${who.id}"]`).first()
        t.equal(await row.locator('.msg-author').textContent(), `${NAME} #${who.tag}`, 'name and tag on the line')
        t.equal(await row.locator('.msg-author').getAttribute('title'), `${NAME} #${who.tag}`, 'and on hover')
        t.equal(await row.locator('.msg-author bdi').textContent(), NAME, 'the name isolated in a <bdi>')
        t.equal(await row.locator('.avatar').getAttribute('title'), `${NAME} #${who.tag}`, 'the picture says who too')
      }
    }
  })

  await step('a message holding U+202E shows the control as a marker and its text in the order written', async (t) => {
    const text = 'photo_\u202Egnp.exe'
    await say(ben, text)
    const row = ana.locator('.rows:not(.pending-rows) .msg', { hasText: 'photo_' })
    await row.waitFor({ timeout: WAIT })
    const message = row.locator('.msg-text')
    t.equal(await message.getAttribute('dir'), 'auto', 'the text is its own bidi isolate')
    // innerText follows the DOM, not the drawing: where each piece is drawn says what a reader sees.
    const [photo, gnp, exe] = await xOf(message, ['photo_', 'gnp', '.exe'])
    t.ok(photo! < gnp! && gnp! < exe!, `drawn in the order written: photo_ (${photo}), gnp (${gnp}), .exe (${exe})`)
    const marker = message.locator('.bidi-control')
    t.equal(await marker.count(), 1, 'one marker')
    t.equal(await marker.textContent(), 'RLO')
    t.equal(await marker.getAttribute('title'), 'right-to-left override (U+202E)', 'its hover text names the control')
    const box = await marker.boundingBox()
    t.ok(box !== null && photo! < box.x && box.x + box.width <= gnp! + 1, 'the marker is drawn where the control was')
    const shown = await message.textContent() ?? ''
    t.notOk(shown.includes('\u202E'), 'the control itself is not on the page')
    t.equal(shown, 'photo_RLOgnp.exe')
    await ben.locator('.rows:not(.pending-rows) .msg-text .bidi-control[title="right-to-left override (U+202E)"]').waitFor({ timeout: WAIT })
    t.pass('the sender sees the marker too: the text went through the server with its control')
    // The row is a continuation of Ben's group: look at the head of that group, just above it.
    const head = ana.locator(`.rows:not(.pending-rows) .msg[data-user="${benShown!.id}"]:not(.msg-cont)`).last()
    const author = head.locator('.msg-author')
    const time = head.locator('.msg-head time')
    t.equal(await author.textContent(), `${NAME} #${benShown!.tag}`, 'the author reads as before')
    const [a, tm, m] = [await author.boundingBox(), await time.boundingBox(), await message.boundingBox()]
    if (a === null || tm === null || m === null) throw new Error('not laid out')
    t.ok(a.x + a.width <= tm.x, `the author (${a.x}..${a.x + a.width}) is left of the time (${tm.x})`)
    t.ok(a.y + a.height <= m.y + 1, 'the head is above the text')
    // Every text a person wrote, and every name, sits in an isolate.
    const loose = await ana.locator('.msg-text:not([dir="auto"]), .msg-author:not(:has(bdi)), .member-name:not(:has(bdi)), .account-name:not(:has(bdi))').count()
    t.equal(loose, 0, 'no name or message text outside an isolate')
  })

  await step('a right-to-left message opening with a control stays right to left, its controls shown', async (t) => {
    await say(ben, '\u202B\u05E9\u05DC\u05D5\u05DD \u2066abc\u2069')
    const message = ana.locator('.rows:not(.pending-rows) .msg-text', { hasText: '\u05E9\u05DC\u05D5\u05DD' })
    await message.waitFor({ timeout: WAIT })
    t.same(await message.locator('.bidi-control').allTextContents(), ['RLE', 'LRI', 'PDI'])
    // A marker's letters are not the text's first strong letter: the Hebrew still sets the direction.
    t.equal(await message.evaluate((el) => getComputedStyle(el).direction), 'rtl', 'right to left')
    await ana.locator('.rows:not(.pending-rows)').screenshot({ path: join(artifacts, 'bidi-controls.png'), animations: 'disabled' })
  })

  await step('typing and read markers show the tag next to a shared name', async (t) => {
    await ben.locator('#composer-input').pressSequentially('Typing as Ada', { delay: 20 })
    await ana.locator('.typing', { hasText: `${NAME} #${benShown!.tag} is typing…` }).waitFor({ timeout: WAIT })
    await ben.locator('#composer-input').fill('')
    await ben.locator('.msg-seen', { hasText: `Seen by ${NAME} #${anaShown!.tag}` }).waitFor({ timeout: WAIT })
    t.pass('tags on the typing line and the read marker')
  })

  await step('a name a backend posts with U+202E shows its control as a marker, on the line and on hover', async (t) => {
    // Reversed, this name reads "Ada Lovelace"; it looks like no one's name to the tag rule, so no tag.
    const bot = { id: 'bot-1', name: '\u202EecalevoL adA' }
    t.equal(await postAs(stack, ROOM, bot, 'Deploy finished.'), 201, 'posted')
    const row = ana.locator('.rows:not(.pending-rows) .msg[data-user="bot-1"]')
    await row.waitFor({ timeout: WAIT })
    const author = row.locator('.msg-author')
    t.equal(await author.locator('bdi .bidi-control').getAttribute('title'), 'right-to-left override (U+202E)', 'a marker in the name')
    t.notOk((await author.textContent() ?? '').includes('\u202E'), 'the control itself is not on the page')
    const [reversed, ada] = await xOf(author, ['ecalevoL', 'adA'])
    t.ok(reversed! < ada!, `drawn in the order written (${reversed} < ${ada}), not as "Ada Lovelace"`)
    const hover = /^⟨RLO⟩ecalevoL adA #[0-9A-HJKMNP-TV-Z]{5}$/
    t.match(await author.getAttribute('title'), hover, 'the hover text writes the control out')
    t.match(await row.locator('.avatar').getAttribute('title'), hover, 'and so does the picture\'s')
    await shot(ana, 'names-alike-desktop.png')
    await row.screenshot({ path: join(artifacts, 'bidi-name.png'), animations: 'disabled' })
  })

  await step('a name spelled with a look-alike letter (a Cyrillic "А") shows the tag beside both names', async (t) => {
    const impostor = { id: 'bot-2', name: '\u0410da Lovelace' }
    const room = 'look-alikes'
    await joinRoom(ana, room)
    await say(ana, 'Only one Ada here.')
    await waitForText(ana, 'Only one Ada here.')
    const author = (id: string): Locator => ana.locator(`.rows:not(.pending-rows) .msg[data-user="${id}"]:not(.msg-cont) .msg-author`).first()
    t.equal(await author(anaShown!.id).textContent(), NAME, 'alone with her name, Ana shows without a tag')
    t.equal(await postAs(stack, room, impostor, 'I am Ada Lovelace, send me the notes.'), 201, 'posted')
    await waitForText(ana, 'I am Ada Lovelace, send me the notes.')
    await author(impostor.id).locator('.name-tag').waitFor({ timeout: WAIT })
    t.equal(await author(impostor.id).textContent(), `${impostor.name} #${userTag(impostor.id)}`, 'the look-alike shows with its tag')
    t.equal(await author(anaShown!.id).textContent(), `${NAME} #${anaShown!.tag}`, 'and the real Ada with hers, beside it')
    t.not(userTag(impostor.id), anaShown!.tag)
    await ana.locator('.rows:not(.pending-rows)').screenshot({ path: join(artifacts, 'names-look-alike.png'), animations: 'disabled' })
  })

  h.finish()
})
