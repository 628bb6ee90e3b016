import { useComputed, useSignal, type Signal } from '@preact/signals'
import { roleMay } from '@webchat/shared'
import { roomLabel } from '../../model/room-info.js'
import type { ChatStore } from '../../store/chat-store.js'
import { BidiText } from '../bidi-text.js'
import { Icon } from '../icon.js'
import { Menu } from '../menu.js'

interface Props {
  store: ChatStore
  membersOpen: Signal<boolean>
  /** Narrow screens: back to the list of rooms. */
  back (): void
  invite (): void
  edit (): void
}

/**
 * The open room: its kind, title and topic, who is online, and its menu (invite and edit for the
 * owner and moderators, leave for everyone); a refusal (an owner must hand the room over before
 * leaving it) shows under the header.
 */
export function RoomHeader ({ store, membersOpen, back, invite, edit }: Props) {
  const online = useComputed(() => store.view.members.value.filter((m) => m.online).length)
  const lastRoom = useComputed(() => store.rooms.value.size <= 1)
  const error = useSignal({ room: '', text: '' })
  const confirming = useSignal(false)
  const name = store.active.value
  const info = store.view.info.value
  const label = roomLabel(name, info)
  const open = membersOpen.value
  const manage = roleMay(info.kind, 'update', info.role)
  const cannotLeave = !info.listed && lastRoom.value
  const shownError = error.value.room === name ? error.value.text : ''

  const leave = (close: () => void): void => {
    if (info.listed && !confirming.value) {
      confirming.value = true
      return
    }
    confirming.value = false
    close()
    void store.leaveRoom(name).then((failure) => { error.value = { room: name, text: failure ?? '' } })
  }

  return (
    <>
      <header class='room-header' data-kind={info.kind}>
        <button class='btn btn-icon only-narrow' type='button' aria-label='All rooms' onClick={back}><Icon name='back' /></button>
        <div class='room-heading'>
          <div class='room-title-line'>
            {info.kind === 'private' ? <span class='room-kind' title='Private room'><Icon name='lock' /><span class='sr-only'>Private room:</span></span> : null}
            <h1 class='room-title' id='room-title'><bdi><BidiText text={label} /></bdi></h1>
            <span class='room-meta'>{store.view.joined.value ? `${online.value} online` : 'joining…'}</span>
          </div>
          <p class='room-topic' dir='auto' hidden={info.topic === ''} title={info.topic}><BidiText text={info.topic} /></p>
        </div>
        <Menu
          label='Room actions' face={<Icon name='more' />} onClose={() => { confirming.value = false }}
          note={!confirming.value ? undefined : info.kind === 'public' ? `Leave ${label}?` : `Leave ${label}? You will need an invitation to come back.`}
        >
          {(close) => (
            <>
              {manage && info.kind !== 'direct' && !info.archived
                ? <button class='menu-item' type='button' role='menuitem' onClick={() => { close(); invite() }}>Invite by email…</button>
                : null}
              {manage && !info.archived
                ? <button class='menu-item' type='button' role='menuitem' onClick={() => { close(); edit() }}>Edit title and topic…</button>
                : null}
              <button
                class='menu-item danger' type='button' role='menuitem' disabled={cannotLeave}
                title={cannotLeave ? 'Your last room cannot be left' : undefined} onClick={() => leave(close)}
              >
                {confirming.value ? 'Yes, leave' : info.kind === 'direct' ? 'Leave conversation' : 'Leave room'}
              </button>
              {confirming.value ? <button class='menu-item' type='button' role='menuitem' onClick={() => { confirming.value = false; close() }}>Cancel</button> : null}
            </>
          )}
        </Menu>
        <button
          class='btn btn-icon' type='button' aria-label={open ? 'Hide members' : 'Show members'} aria-controls='members'
          aria-expanded={open ? 'true' : 'false'} onClick={() => { membersOpen.value = !open }}
        >
          <Icon name='people' />
        </button>
      </header>
      <p class='room-error' role='alert' hidden={shownError === ''}>
        {shownError}
        <button class='btn btn-link' type='button' onClick={() => { error.value = { room: '', text: '' } }}>Dismiss</button>
      </p>
    </>
  )
}
