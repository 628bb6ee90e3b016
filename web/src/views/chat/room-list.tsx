import type { ChatStore } from '../../store/chat-store.js'
import { Icon } from '../icon.js'

/** My rooms, with the number of unread messages in each room I am not looking at. */
export function RoomList ({ store, select }: { store: ChatStore, select (room: string): void }) {
  const active = store.active.value
  return (
    <ul class='room-list'>
      {[...store.rooms.value.values()].map(({ name, unread: count }) => {
        const unread = name === active ? 0 : count
        return (
          <li key={name}>
            <button
              class={unread > 0 ? 'room-link has-unread' : 'room-link'} type='button' aria-current={name === active ? 'page' : undefined}
              aria-label={unread > 0 ? `${name}, ${unread} unread` : name} data-room={name} onClick={() => select(name)}
            >
              <Icon name='hash' />
              <span class='room-name'>{name}</span>
              {unread > 0 ? <span class='badge' aria-hidden='true'>{unread > 99 ? '99+' : String(unread)}</span> : null}
            </button>
          </li>
        )
      })}
    </ul>
  )
}
