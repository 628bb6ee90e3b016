import { h, replace } from '../dom.js'
import { memberList, type RoomState } from '../model/room-state.js'
import { avatar } from './avatar.js'

export interface MembersPanel { el: HTMLElement, render (room: RoomState | undefined, me: string): void }

/** Who is in the room: online first, then people seen leaving during this visit. */
export function createMembersPanel (close: () => void): MembersPanel {
  const online = h('ul', { class: 'member-list' })
  const offline = h('ul', { class: 'member-list offline' })
  const onlineTitle = h('h3', { class: 'section-title' })
  const offlineTitle = h('h3', { class: 'section-title' })
  const el = h('aside', { class: 'members', attrs: { id: 'members', 'aria-labelledby': 'members-title' } },
    h('div', { class: 'panel-head' },
      h('h2', { attrs: { id: 'members-title' } }, 'Members'),
      h('button', { class: 'btn btn-icon only-narrow', attrs: { type: 'button', 'aria-label': 'Close members' }, on: { click: close } }, '×')),
    onlineTitle, online, offlineTitle, offline)

  const item = (m: { id: string, name: string, online: boolean }, me: string): HTMLElement =>
    h('li', { class: 'member', attrs: { 'data-user': m.id } },
      avatar(m.id, m.name, 'small'),
      h('span', { class: 'member-name' }, m.name, m.id === me ? h('span', { class: 'muted' }, ' (you)') : null),
      h('span', { class: m.online ? 'presence on' : 'presence off', attrs: { 'aria-label': m.online ? 'online' : 'offline', role: 'img' } }))

  return {
    el,
    render (room, me) {
      const members = room === undefined ? [] : memberList(room)
      const on = members.filter((m) => m.online)
      const off = members.filter((m) => !m.online)
      replace(onlineTitle, `Online — ${on.length}`)
      replace(online, ...on.map((m) => item(m, me)))
      offlineTitle.hidden = off.length === 0
      replace(offlineTitle, `Offline — ${off.length}`)
      replace(offline, ...off.map((m) => item(m, me)))
    }
  }
}
