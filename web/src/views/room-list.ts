import type { RoomState } from '../model/room-state.js'
import { h, icon, ICONS, replace, setText } from '../dom.js'
import { toRoomName } from '../model/saved-rooms.js'

export interface RoomList {
  el: HTMLElement
  render (rooms: readonly RoomState[], active: string): void
}

/** The rooms in the sidebar, with unread counts, and the form to join a room by name. */
export function createRoomList (actions: {
  select (room: string): void
  join (room: string): Promise<string | undefined>
}): RoomList {
  const list = h('ul', { class: 'room-list' })
  const input = h('input', { attrs: { id: 'join-room', name: 'room', autocomplete: 'off', placeholder: 'room-name', maxlength: 65, 'aria-describedby': 'join-error' } })
  const error = h('p', { class: 'form-error small', attrs: { id: 'join-error', role: 'alert' } })
  const form = h('form', {
    class: 'join-form',
    attrs: { novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault()
        const name = toRoomName(input.value)
        if (name === null) {
          setText(error, 'Room names use a–z, 0–9, - and _ (up to 64).')
          input.focus()
          return
        }
        setText(error, '')
        void actions.join(name).then((failure) => {
          if (failure === undefined) input.value = ''
          else setText(error, failure)
        })
      }
    }
  },
  h('label', { attrs: { for: 'join-room' } }, 'Join a room'),
  h('div', { class: 'input-row' }, input, h('button', { class: 'btn btn-icon', attrs: { type: 'submit', 'aria-label': 'Join room' } }, icon(ICONS.plus))),
  error)
  const el = h('nav', { class: 'rooms', attrs: { 'aria-label': 'Rooms' } }, h('h2', { class: 'section-title' }, 'Rooms'), list, form)

  return {
    el,
    render (rooms, active) {
      replace(list, ...rooms.map((room) => {
        const unread = room.name === active ? 0 : room.unread
        const label = unread > 0 ? `${room.name}, ${unread} unread` : room.name
        return h('li', {},
          h('button', {
            class: 'room-link' + (unread > 0 ? ' has-unread' : ''),
            attrs: { type: 'button', 'aria-current': room.name === active ? 'page' : undefined, 'aria-label': label, 'data-room': room.name },
            on: { click: () => actions.select(room.name) }
          },
          icon(ICONS.hash),
          h('span', { class: 'room-name' }, room.name),
          unread > 0 ? h('span', { class: 'badge', attrs: { 'aria-hidden': 'true' } }, unread > 99 ? '99+' : unread) : null))
      }))
    }
  }
}
