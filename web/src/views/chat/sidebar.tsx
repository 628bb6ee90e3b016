import { groupRooms } from '../../model/room-info.js'
import type { ChatStore } from '../../store/chat-store.js'
import { Brand } from '../brand.js'
import { Icon } from '../icon.js'
import { Account } from './account.js'
import { JoinForm } from './join-form.js'
import { RoomList } from './room-list.js'

interface Props {
  store: ChatStore
  select (room: string): void
  rename (): void
  mail (): void
  logout (): void
  newRoom (): void
  newDirect (): void
}

/** My rooms in two groups (rooms, direct messages), the buttons to start one, the join form, and my account. */
export function Sidebar ({ store, select, rename, mail, logout, newRoom, newDirect }: Props) {
  const groups = groupRooms([...store.rooms.value.values()].map((r) => ({ name: r.name, info: r.info, unread: r.unread, mentions: r.mentions, last: r.inbox?.last })))
  const active = store.active.value
  return (
    <aside class='sidebar' aria-label='Rooms and account'>
      <Brand />
      <nav class='rooms' aria-label='Rooms'>
        <div class='section-head'>
          <h2 class='section-title' id='rooms-group'>Rooms</h2>
          <button class='btn btn-icon btn-add' type='button' aria-label='New room' title='New room' onClick={newRoom}><Icon name='plus' /></button>
        </div>
        <RoomList rooms={groups.rooms} active={active} labelledBy='rooms-group' select={select} />
        <div class='section-head'>
          <h2 class='section-title' id='direct-group'>Direct messages</h2>
          <button class='btn btn-icon btn-add' type='button' aria-label='New message' title='New message' onClick={newDirect}><Icon name='plus' /></button>
        </div>
        {groups.direct.length === 0
          ? <p class='section-empty muted small'>No conversations yet.</p>
          : <RoomList rooms={groups.direct} active={active} labelledBy='direct-group' select={select} />}
        <JoinForm join={store.join} />
      </nav>
      <Account store={store} rename={rename} mail={mail} logout={logout} />
    </aside>
  )
}
