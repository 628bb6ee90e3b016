import type { User, WebConfig } from '@webchat/shared'
import { createConnection, isWebchatError, resolveChatUrl, type AuthClient, type Connection } from '@webchat/client'
import { h, icon, ICONS, setText } from '../dom.js'
import {
  applyHistory, applyJoined, applyMessage, applyPresence, applyRead, applyTyping, createRoomState, markRead,
  typingNames, type PendingMessage, type RoomState
} from '../model/room-state.js'
import { createRoomsStorage } from '../model/saved-rooms.js'
import { typingText } from '../model/typing.js'
import { avatar } from './avatar.js'
import { createBanner } from './banner.js'
import { createComposer } from './composer.js'
import { createMembersPanel } from './members.js'
import { createMessageList } from './message-list.js'
import { createRenameDialog } from './rename-dialog.js'
import { createRoomList } from './room-list.js'

export interface ChatView { el: HTMLElement, dispose (): void }

const roomFromPath = (): string | undefined => /^\/r\/([a-z0-9_-]{1,64})\/?$/.exec(location.pathname)?.[1]

function errorText (err: unknown): string {
  if (!isWebchatError(err)) return 'something went wrong'
  switch (err.code) {
    case 'too_many_rooms': return 'You are in as many rooms as allowed. Leave one first.'
    case 'invalid_room': return 'That is not a valid room name.'
    case 'text_too_long': return 'the message is too long'
    case 'rate_limited': return 'you are sending too fast'
    case 'invalid_name': return 'That name cannot be used.'
    case 'network': return 'The server cannot be reached.'
    case 'unauthorized': return 'Your session has ended.'
    default: return err.message
  }
}

/**
 * The chat screen: it owns the connection and the rooms' state, and tells each part of the view
 * what changed.
 */
export function chatView (auth: AuthClient, config: WebConfig, signedIn: User, signOut: () => void): ChatView {
  let me = signedIn
  const storage = createRoomsStorage(globalThis.localStorage)
  const rooms = new Map<string, RoomState>()
  for (const name of storage.load(me.id)) rooms.set(name, createRoomState(name))
  const fromUrl = roomFromPath()
  if (fromUrl !== undefined && !rooms.has(fromUrl)) rooms.set(fromUrl, createRoomState(fromUrl))
  let active = fromUrl ?? [...rooms.keys()][0]!
  const save = (): void => storage.save(me.id, [...rooms.keys()])
  save()

  const conn: Connection = createConnection({
    url: resolveChatUrl(config.chatUrl, location.href),
    getToken: async () => await auth.token(),
    rooms: [...rooms.keys()]
  })
  const room = (): RoomState => rooms.get(active)!

  // ---- parts ---------------------------------------------------------------------------------

  const announcer = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite', id: 'announcer' } })
  const banner = createBanner({ retry: () => conn.reconnect(), signIn: () => { dispose(); signOut() } })
  const roomList = createRoomList({ select: (name) => select(name, true), join })
  const members = createMembersPanel(() => toggleMembers(false))
  const messages = createMessageList({
    me: () => me,
    nearTop: loadOlder,
    atBottom: () => readIfSeen(),
    retry: (p) => sendPending(active, p),
    discard: (p) => { room().pending = room().pending.filter((x) => x !== p); messages.updatePending(room()) }
  })
  const composer = createComposer({ send: (text) => send(active, text), typing: () => conn.typing(active) })
  const rename = createRenameDialog(async (name) => {
    try {
      me = await auth.rename(name)
      conn.refreshToken()
      renderAccount()
      return undefined
    } catch (err) {
      return errorText(err)
    }
  })

  const title = h('h1', { class: 'room-title', attrs: { id: 'room-title' } })
  const online = h('span', { class: 'room-meta' })
  const typingLine = h('div', { class: 'typing', attrs: { 'aria-live': 'polite' } })
  const newBelow = h('button', { class: 'btn btn-small new-below', attrs: { type: 'button', hidden: true }, on: { click: () => { messages.scrollToBottom(); readIfSeen() } } })
  const membersToggle = h('button', {
    class: 'btn btn-icon',
    attrs: { type: 'button', 'aria-label': 'Show members', 'aria-controls': 'members', 'aria-expanded': 'false' },
    on: { click: () => toggleMembers() }
  }, icon(ICONS.people))
  const leaveButton = h('button', { class: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => leave(active) } }, 'Leave')
  const accountName = h('span', { class: 'account-name' })
  const accountEmail = h('span', { class: 'account-email muted' })
  const accountAvatar = h('span')
  const account = h('div', { class: 'account' },
    accountAvatar,
    h('div', { class: 'account-who' }, accountName, accountEmail),
    h('div', { class: 'account-actions' },
      h('button', { class: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => rename.open(me.name) } }, 'Rename'),
      h('button', { class: 'btn btn-small btn-quiet', attrs: { type: 'button' }, on: { click: () => { void logout() } } }, 'Log out')))

  const sidebar = h('aside', { class: 'sidebar', attrs: { 'aria-label': 'Rooms and account' } },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '#'), 'webchat'),
    roomList.el, account)
  const main = h('main', { class: 'room', attrs: { 'aria-labelledby': 'room-title' } },
    h('header', { class: 'room-header' },
      h('button', { class: 'btn btn-icon only-narrow', attrs: { type: 'button', 'aria-label': 'All rooms' }, on: { click: () => { toggleMembers(false); el.dataset.view = 'rooms' } } }, icon(ICONS.back)),
      h('div', { class: 'room-heading' }, title, online),
      leaveButton, membersToggle),
    banner.el,
    h('div', { class: 'messages-wrap' }, messages.el, newBelow),
    typingLine,
    composer.el)
  // The members panel is open beside the room on wide screens, and an overlay opened on demand on narrow ones.
  const wideQuery = globalThis.matchMedia?.('(min-width: 1100px)')
  const wide = wideQuery?.matches ?? false
  const el = h('div', { class: 'chat', attrs: { 'data-view': 'chat', 'data-members': wide ? 'open' : 'closed' } },
    h('a', { class: 'skip-link', attrs: { href: '#composer-input' }, on: { click: (e) => { e.preventDefault(); composer.focus() } } }, 'Skip to message box'),
    sidebar, main, members.el, announcer, rename.el)

  // ---- rendering -----------------------------------------------------------------------------

  function renderAccount (): void {
    setText(accountName, me.name)
    setText(accountEmail, me.email)
    accountAvatar.replaceChildren(avatar(me.id, me.name))
  }

  function renderRooms (): void {
    roomList.render([...rooms.values()], active)
    let unread = 0
    for (const r of rooms.values()) if (r.name !== active || document.visibilityState !== 'visible') unread += r.unread
    document.title = unread > 0 ? `(${unread}) #${active} · webchat` : `#${active} · webchat`
  }

  function renderHeader (): void {
    const r = room()
    setText(title, `#${r.name}`)
    const count = [...r.members.values()].filter((m) => m.online).length
    setText(online, r.joined ? `${count} online` : 'joining…')
    leaveButton.disabled = rooms.size <= 1
    leaveButton.title = rooms.size <= 1 ? 'Your last room cannot be left' : `Leave #${r.name}`
    members.render(r, me.id)
  }

  function renderTyping (): void {
    setText(typingLine, typingText(typingNames(room(), Date.now(), me.id)))
  }

  function renderNewBelow (): void {
    const r = room()
    newBelow.hidden = r.unread === 0 || messages.atBottom()
    setText(newBelow, `${r.unread} new ${r.unread === 1 ? 'message' : 'messages'} ↓`)
  }

  function renderAll (keepScroll = false): void {
    renderRooms()
    renderHeader()
    renderTyping()
    composer.setRoom(active)
    messages.show(room(), me.id, keepScroll)
    readIfSeen()
  }

  // ---- actions ---------------------------------------------------------------------------------

  function select (name: string, push: boolean): void {
    if (!rooms.has(name)) return
    active = name
    if (push && location.pathname !== `/r/${name}`) history.pushState(null, '', `/r/${name}`)
    el.dataset.view = 'chat'
    renderAll()
    composer.focus()
  }

  /** Marks the active room read when the newest message is on screen and the page is seen. */
  function readIfSeen (): void {
    const r = room()
    if (document.visibilityState !== 'visible' || !messages.atBottom()) { renderNewBelow(); return }
    const id = markRead(r)
    if (id !== undefined) conn.read(r.name, id)
    renderNewBelow()
    renderRooms()
  }

  async function join (name: string): Promise<string | undefined> {
    if (!rooms.has(name)) {
      rooms.set(name, createRoomState(name))
      save()
    }
    select(name, true)
    try {
      await conn.join(name)
      return undefined
    } catch (err) {
      if (isWebchatError(err) && (err.code === 'too_many_rooms' || err.code === 'invalid_room')) {
        rooms.delete(name)
        save()
        if (active === name) select([...rooms.keys()][0] ?? 'general', true)
      }
      return errorText(err)
    }
  }

  function leave (name: string): void {
    if (rooms.size <= 1) return
    conn.leave(name)
    rooms.delete(name)
    save()
    if (active === name) select([...rooms.keys()][0]!, true)
    else renderRooms()
  }

  function loadOlder (): void {
    const r = room()
    const oldest = r.messages[0]
    if (!r.more || r.loadingOlder || oldest === undefined || !r.joined) return
    r.loadingOlder = true
    messages.updateTop(r)
    conn.history(r.name, oldest.id).then((page) => {
      applyHistory(r, page.messages, page.more)
      if (r.name === active) messages.prepended(r, me.id)
    }, () => {
      r.loadingOlder = false
      if (r.name === active) messages.updateTop(r)
    })
  }

  function send (name: string, text: string): void {
    const r = rooms.get(name)
    if (r === undefined) return
    const p: PendingMessage = { clientMsgId: crypto.randomUUID(), text, ts: Date.now(), status: 'sending' }
    r.pending.push(p)
    sendPending(name, p)
  }

  function sendPending (name: string, p: PendingMessage): void {
    const r = rooms.get(name)
    if (r === undefined) return
    p.status = 'sending'
    delete p.error
    if (r.name === active) messages.updatePending(r)
    conn.send(name, p.text, { clientMsgId: p.clientMsgId }).then((id) => {
      // The ack can come before the message itself (or instead of it): show it from the ack.
      if (!r.pending.includes(p)) return
      const where = applyMessage(r, { room: name, id, user: { id: me.id, name: me.name }, text: p.text, ts: p.ts, clientMsgId: p.clientMsgId }, me.id)
      if (r.name === active) afterMessage(r, where)
    }, (err: unknown) => {
      if (!r.pending.includes(p)) return
      p.status = 'failed'
      p.error = errorText(err)
      if (r.name === active) messages.updatePending(r)
    })
  }

  function afterMessage (r: RoomState, where: 'end' | 'middle' | 'none'): void {
    if (where === 'end') messages.append(r, me.id)
    else if (where === 'middle') messages.show(r, me.id, true)
    else messages.updatePending(r)
    renderTyping()
    readIfSeen()
  }

  function toggleMembers (open = el.dataset.members !== 'open'): void {
    el.dataset.members = open ? 'open' : 'closed'
    membersToggle.setAttribute('aria-expanded', String(open))
    membersToggle.setAttribute('aria-label', open ? 'Hide members' : 'Show members')
  }

  async function logout (): Promise<void> {
    try { await auth.logout() } catch { /* the session is ended locally either way */ }
    dispose()
    signOut()
  }

  // ---- the connection's events ---------------------------------------------------------------

  conn.on('state', (state) => {
    banner.update(state)
    el.dataset.connection = state.state
    if (state.state === 'ended') composer.disable()
  })
  conn.on('joined', (frame) => {
    const r = rooms.get(frame.room)
    if (r === undefined) return
    applyJoined(r, frame, me.id)
    if (r.name === active) renderAll(frame.recovered)
    else renderRooms()
  })
  conn.on('message', (frame) => {
    const r = rooms.get(frame.room)
    if (r === undefined) return
    const { type: _type, ...message } = frame
    const where = applyMessage(r, message, me.id)
    if (where === 'none') return
    if (r.name === active) {
      afterMessage(r, where)
      if (frame.user.id !== me.id) setText(announcer, `${frame.user.name}: ${[...frame.text].slice(0, 300).join('')}`)
    }
    renderRooms()
  })
  conn.on('presence', (frame) => {
    const r = rooms.get(frame.room)
    if (r === undefined) return
    applyPresence(r, frame.event, frame.user)
    if (r.name === active) { renderHeader(); renderTyping() }
  })
  conn.on('typing', (frame) => {
    const r = rooms.get(frame.room)
    if (r === undefined || frame.user.id === me.id) return
    applyTyping(r, frame.user, Date.now())
    if (r.name === active) renderTyping()
  })
  conn.on('read', (frame) => {
    const r = rooms.get(frame.room)
    if (r === undefined) return
    applyRead(r, frame.user, frame.id)
    if (r.name === active) messages.updateReads(r, me.id)
  })

  const onPop = (): void => { const name = roomFromPath(); if (name !== undefined && rooms.has(name)) select(name, false) }
  const onVisible = (): void => { readIfSeen(); renderRooms() }
  const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape' && el.dataset.members === 'open' && wideQuery?.matches !== true) toggleMembers(false) }
  const onWidth = (e: MediaQueryListEvent): void => toggleMembers(e.matches)
  wideQuery?.addEventListener('change', onWidth)
  addEventListener('popstate', onPop)
  document.addEventListener('visibilitychange', onVisible)
  document.addEventListener('keydown', onKey)
  const ticker = setInterval(renderTyping, 1000)
  if (location.pathname !== `/r/${active}`) history.replaceState(null, '', `/r/${active}`)

  renderAccount()
  toggleMembers(wide)
  renderAll()

  let disposed = false
  function dispose (): void {
    if (disposed) return
    disposed = true
    conn.close()
    banner.dispose()
    clearInterval(ticker)
    removeEventListener('popstate', onPop)
    document.removeEventListener('visibilitychange', onVisible)
    document.removeEventListener('keydown', onKey)
    wideQuery?.removeEventListener('change', onWidth)
  }

  return { el, dispose }
}
