import type { ChatStore } from '../../store/chat-store.js'
import { Brand } from '../brand.js'
import { Account } from './account.js'
import { JoinForm } from './join-form.js'
import { RoomList } from './room-list.js'

interface Props {
  store: ChatStore
  select (room: string): void
  rename (): void
  logout (): void
}

export function Sidebar ({ store, select, rename, logout }: Props) {
  return (
    <aside class='sidebar' aria-label='Rooms and account'>
      <Brand />
      <nav class='rooms' aria-label='Rooms'>
        <h2 class='section-title'>Rooms</h2>
        <RoomList store={store} select={select} />
        <JoinForm join={store.join} />
      </nav>
      <Account store={store} rename={rename} logout={logout} />
    </aside>
  )
}
