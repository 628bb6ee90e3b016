import { useComputed, type Signal } from '@preact/signals'
import type { ChatStore } from '../../store/chat-store.js'
import { Icon } from '../icon.js'

interface Props {
  store: ChatStore
  membersOpen: Signal<boolean>
  /** Narrow screens: back to the list of rooms. */
  back (): void
}

/** The open room's name, who is online, and the buttons to leave it and to show its members. */
export function RoomHeader ({ store, membersOpen, back }: Props) {
  const online = useComputed(() => store.view.members.value.filter((m) => m.online).length)
  const lastRoom = useComputed(() => store.rooms.value.size <= 1)
  const name = store.active.value
  const open = membersOpen.value
  return (
    <header class='room-header'>
      <button class='btn btn-icon only-narrow' type='button' aria-label='All rooms' onClick={back}><Icon name='back' /></button>
      <div class='room-heading'>
        <h1 class='room-title' id='room-title'>{`#${name}`}</h1>
        <span class='room-meta'>{store.view.joined.value ? `${online.value} online` : 'joining…'}</span>
      </div>
      <button
        class='btn btn-small btn-quiet' type='button' disabled={lastRoom.value}
        title={lastRoom.value ? 'Your last room cannot be left' : `Leave #${name}`} onClick={() => store.leave(name)}
      >
        Leave
      </button>
      <button
        class='btn btn-icon' type='button' aria-label={open ? 'Hide members' : 'Show members'} aria-controls='members'
        aria-expanded={open ? 'true' : 'false'} onClick={() => { membersOpen.value = !open }}
      >
        <Icon name='people' />
      </button>
    </header>
  )
}
