import type { ChatMessage } from '@webchat/shared'
import { h, replace, setText } from '../dom.js'
import { formatFull, formatTime } from '../model/format.js'
import { buildRows, GROUP_MS, rowsAfter, type Row } from '../model/grouping.js'
import { readersByMessage, type PendingMessage, type RoomState } from '../model/room-state.js'
import { avatar } from './avatar.js'

export interface MessageList {
  el: HTMLElement
  /** Draws a room from scratch, scrolled to the bottom (or kept where it was, for `keepScroll`). */
  show (room: RoomState, me: string, keepScroll?: boolean): void
  /** Adds the room's newest message at the end. */
  append (room: RoomState, me: string): void
  /** Redraws after older messages were added at the top, keeping what the reader sees in place. */
  prepended (room: RoomState, me: string): void
  updateTop (room: RoomState): void
  updateReads (room: RoomState, me: string): void
  updatePending (room: RoomState): void
  atBottom (): boolean
  scrollToBottom (): void
}

const NEAR_PX = 80

/**
 * The message log. Each message's text is a Text node, so markup in messages shows as typed.
 * New messages are appended (the list is only redrawn on room switches and older pages), and the
 * view follows the bottom only when the reader was already there.
 */
export function createMessageList (actions: {
  /** The signed-in user, who writes the pending messages. */
  me (): { id: string, name: string }
  nearTop (): void
  atBottom (): void
  retry (p: PendingMessage): void
  discard (p: PendingMessage): void
}): MessageList {
  const olderButton = h('button', { class: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => actions.nearTop() } }, 'Load older messages')
  const topNote = h('p', { class: 'list-top-note muted' })
  const top = h('div', { class: 'list-top' }, olderButton, topNote)
  const rows = h('ol', { class: 'rows', attrs: { 'aria-label': 'Messages' } })
  const pending = h('ol', { class: 'rows pending-rows', attrs: { 'aria-label': 'Messages being sent' } })
  const scroller = h('div', { class: 'messages', attrs: { tabindex: 0, role: 'log', 'aria-live': 'off', 'aria-label': 'Message history' } }, top, rows, pending)
  const byId = new Map<string, HTMLElement>()
  let last: ChatMessage | undefined

  const isAtBottom = (): boolean => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_PX
  const toBottom = (): void => {
    scroller.scrollTop = scroller.scrollHeight
    stuck = true
  }

  /** Whether the reader is following the newest messages; kept when the list's box changes size. */
  let stuck = true
  scroller.addEventListener('scroll', () => {
    stuck = isAtBottom()
    if (scroller.scrollTop < NEAR_PX) actions.nearTop()
    if (stuck) actions.atBottom()
  }, { passive: true })
  // A banner or the typing line changes the height: stay at the bottom if the reader was there.
  if (typeof ResizeObserver === 'function') new ResizeObserver(() => { if (stuck) toBottom() }).observe(scroller)

  function rowElement (row: Row, me: string): HTMLElement {
    if (row.kind === 'day') {
      return h('li', { class: 'day-sep', attrs: { role: 'separator' } }, h('span', {}, row.label))
    }
    const m = row.message
    const time = h('time', { attrs: { datetime: new Date(m.ts).toISOString(), title: formatFull(m.ts) } }, formatTime(m.ts))
    const text = h('div', { class: 'msg-text' }, m.text)
    const seen = h('div', { class: 'msg-seen', attrs: { hidden: true } })
    const li = row.continued
      ? h('li', { class: 'msg msg-cont', attrs: { 'data-id': m.id } }, h('span', { class: 'msg-gutter' }, time), h('div', { class: 'msg-body' }, text, seen))
      : h('li', { class: 'msg' + (m.user.id === me ? ' msg-mine' : ''), attrs: { 'data-id': m.id } },
        avatar(m.user.id, m.user.name),
        h('div', { class: 'msg-body' },
          h('div', { class: 'msg-head' }, h('span', { class: 'msg-author' }, m.user.name), time),
          text, seen))
    byId.set(m.id, li)
    return li
  }

  function draw (room: RoomState, me: string): void {
    byId.clear()
    const now = Date.now()
    replace(rows, ...buildRows(room.messages, now).map((row) => rowElement(row, me)))
    last = room.messages[room.messages.length - 1]
    updateTop(room)
    updateReads(room, me)
    updatePending(room)
  }

  function updateTop (room: RoomState): void {
    olderButton.hidden = !room.more || room.messages.length === 0
    olderButton.disabled = room.loadingOlder
    setText(olderButton, room.loadingOlder ? 'Loading…' : 'Load older messages')
    topNote.hidden = room.more && room.messages.length > 0
    setText(topNote, room.messages.length === 0 ? `No messages in #${room.name} yet. Say hello!` : `This is the beginning of #${room.name}.`)
  }

  function updateReads (room: RoomState, me: string): void {
    const readers = readersByMessage(room, me)
    for (const [id, li] of byId) {
      const seen = li.querySelector<HTMLElement>('.msg-seen')
      if (seen === null) continue
      const names = readers.get(id)
      seen.hidden = names === undefined
      setText(seen, names === undefined ? '' : `Seen by ${names.join(', ')}`)
    }
  }

  function updatePending (room: RoomState): void {
    const me = actions.me()
    // The first pending message starts a group of mine unless my last message is right above it.
    const mineAbove = last !== undefined && last.user.id === me.id && Date.now() - last.ts < GROUP_MS
    replace(pending, ...room.pending.map((p, i) => h('li', { class: 'msg msg-pending msg-mine' + (i > 0 || mineAbove ? ' msg-cont' : '') + (p.status === 'failed' ? ' msg-failed' : ''), attrs: { 'data-client-id': p.clientMsgId } },
      i > 0 || mineAbove ? h('span', { class: 'msg-gutter' }) : avatar(me.id, me.name),
      h('div', { class: 'msg-body' },
        i > 0 || mineAbove ? null : h('div', { class: 'msg-head' }, h('span', { class: 'msg-author' }, me.name)),
        h('div', { class: 'msg-text' }, p.text),
        h('div', { class: 'msg-status' },
          p.status === 'failed' ? `Not sent: ${p.error ?? 'error'}. ` : 'Sending…',
          p.status === 'failed' ? h('button', { class: 'btn btn-link', attrs: { type: 'button' }, on: { click: () => actions.retry(p) } }, 'Retry') : null,
          p.status === 'failed' ? h('button', { class: 'btn btn-link', attrs: { type: 'button' }, on: { click: () => actions.discard(p) } }, 'Discard') : null)))))
  }

  return {
    el: scroller,
    show (room, me, keepScroll = false) {
      const offset = scroller.scrollTop
      draw(room, me)
      if (keepScroll) scroller.scrollTop = offset
      else toBottom()
    },
    append (room, me) {
      const stick = isAtBottom()
      const message = room.messages[room.messages.length - 1]
      if (message === undefined) return
      const elements = rowsAfter(last, message, Date.now()).map((row) => rowElement(row, me))
      rows.append(...elements)
      last = message
      updateTop(room)
      updateReads(room, me)
      updatePending(room)
      if (stick) toBottom()
    },
    prepended (room, me) {
      const fromBottom = scroller.scrollHeight - scroller.scrollTop
      draw(room, me)
      scroller.scrollTop = scroller.scrollHeight - fromBottom
    },
    updateTop,
    updateReads,
    updatePending (room) {
      const stick = isAtBottom()
      updatePending(room)
      if (stick) toBottom()
    },
    atBottom: isAtBottom,
    scrollToBottom: toBottom
  }
}
