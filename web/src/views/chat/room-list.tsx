import type { SidebarRoom } from '../../model/room-info.js'
import { Avatar } from '../avatar.js'
import { BidiText } from '../bidi-text.js'
import { Icon } from '../icon.js'

interface Props {
  rooms: readonly SidebarRoom[]
  active: string
  labelledBy: string
  select (room: string): void
}

/** What a room is called here: a public room by its name (the # is its icon), the others by their label. */
const shownName = (room: SidebarRoom): string => room.kind === 'public' ? room.id : room.label

/** A group of my rooms, each with its kind and the number of unread messages when I am not looking at it. */
export function RoomList ({ rooms, active, labelledBy, select }: Props) {
  return (
    <ul class='room-list' aria-labelledby={labelledBy}>
      {rooms.map((room) => {
        const { id, kind } = room
        const unread = id === active ? 0 : room.unread
        const spoken = kind === 'private' ? `${room.label} (private)` : shownName(room)
        return (
          <li key={id}>
            <button
              class={unread > 0 ? 'room-link has-unread' : 'room-link'} type='button' aria-current={id === active ? 'page' : undefined}
              aria-label={unread > 0 ? `${spoken}, ${unread} unread` : spoken} data-room={id} data-kind={kind} onClick={() => select(id)}
            >
              {kind === 'direct' ? <Avatar id={room.peer ?? id} name={room.label} small /> : <Icon name={kind === 'private' ? 'lock' : 'hash'} />}
              <span class='room-name'><bdi><BidiText text={shownName(room)} /></bdi></span>
              {unread > 0 ? <span class='badge' aria-hidden='true'>{unread > 99 ? '99+' : String(unread)}</span> : null}
            </button>
          </li>
        )
      })}
    </ul>
  )
}
