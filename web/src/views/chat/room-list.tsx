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

const count = (n: number): string => n > 99 ? '99+' : String(n)

/** What a screen reader hears: the room, then what waits there. */
function spokenName (room: SidebarRoom, unread: number, mentions: number): string {
  const name = room.kind === 'private' ? `${room.label} (private)` : shownName(room)
  const waiting = [unread > 0 ? `${unread} unread` : '', mentions > 0 ? `${mentions} ${mentions === 1 ? 'mention' : 'mentions'}` : ''].filter((s) => s !== '')
  return waiting.length === 0 ? name : `${name}, ${waiting.join(', ')}`
}

/**
 * A group of my rooms, each with its kind and, when I am not looking at it, the number of unread
 * messages and (apart, in its own color, "@2") of those that mention me.
 */
export function RoomList ({ rooms, active, labelledBy, select }: Props) {
  return (
    <ul class='room-list' aria-labelledby={labelledBy}>
      {rooms.map((room) => {
        const { id, kind } = room
        const unread = id === active ? 0 : room.unread
        const mentions = id === active ? 0 : room.mentions
        return (
          <li key={id}>
            <button
              class={unread > 0 || mentions > 0 ? 'room-link has-unread' : 'room-link'} type='button' aria-current={id === active ? 'page' : undefined}
              aria-label={spokenName(room, unread, mentions)} data-room={id} data-kind={kind} title={room.last} onClick={() => select(id)}
            >
              {kind === 'direct' ? <Avatar id={room.peer ?? id} name={room.label} small /> : <Icon name={kind === 'private' ? 'lock' : 'hash'} />}
              <span class='room-name'><bdi><BidiText text={shownName(room)} /></bdi></span>
              {mentions > 0 ? <span class='badge badge-mention' aria-hidden='true' title={`${mentions} unread ${mentions === 1 ? 'mention' : 'mentions'}`}>{`@${count(mentions)}`}</span> : null}
              {unread > 0 ? <span class='badge badge-unread' aria-hidden='true'>{count(unread)}</span> : null}
            </button>
          </li>
        )
      })}
    </ul>
  )
}
