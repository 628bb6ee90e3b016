import { useComputed, useSignal } from '@preact/signals'
import { useRef } from 'preact/hooks'
import type { ChatStore } from '../../store/chat-store.js'
import { Banner } from './banner.js'
import { Composer } from './composer.js'
import { MembersPanel } from './members-panel.js'
import { MessageLog } from './message-log.js'
import { Notice } from './notice.js'
import { MailDialog } from './mail-dialog.js'
import { RenameDialog } from './rename-dialog.js'
import { EditRoomDialog, EmailDialog, NewRoomDialog } from './room-dialogs.js'
import { RoomHeader } from './room-header.js'
import { Sidebar } from './sidebar.js'
import { TypingLine } from './typing-line.js'
import { useMembersPanel } from './use-members-panel.js'
import { usePageSync } from './use-page-sync.js'

/**
 * The chat screen's layout. It reads no state itself (its attributes are bound to signals), so it
 * is drawn once; each part redraws when what it shows changes. On narrow screens one pane shows
 * at a time: the rooms or the open room.
 */
export function ChatScreen ({ store, signOut }: { store: ChatStore, signOut (): void }) {
  const pane = useSignal<'chat' | 'rooms'>('chat')
  const membersOpen = useMembersPanel()
  const renaming = useSignal(false)
  const mailing = useSignal(false)
  const creating = useSignal(false)
  const editing = useSignal(false)
  const inviting = useSignal(false)
  const messaging = useSignal(false)
  const members = useComputed(() => membersOpen.value ? 'open' : 'closed')
  const connection = useComputed(() => store.connection.value?.state)
  const composer = useRef<HTMLTextAreaElement>(null)

  const showRoom = (): void => {
    pane.value = 'chat'
    composer.current?.focus()
  }
  usePageSync(store, showRoom)
  const select = (name: string): void => {
    store.select(name)
    showRoom()
  }
  const end = (): void => {
    store.dispose()
    signOut()
  }

  return (
    <div class='chat' data-view={pane} data-members={members} data-connection={connection}>
      <a class='skip-link' href='#composer-input' onClick={(e) => { e.preventDefault(); composer.current?.focus() }}>Skip to message box</a>
      <Sidebar
        store={store} select={select} rename={() => { renaming.value = true }} mail={() => { mailing.value = true }} logout={() => { void store.logout().then(signOut) }}
        newRoom={() => { creating.value = true }} newDirect={() => { messaging.value = true }}
      />
      <main class='room' aria-labelledby='room-title'>
        <RoomHeader
          store={store} membersOpen={membersOpen} back={() => { membersOpen.value = false; pane.value = 'rooms' }}
          invite={() => { inviting.value = true }} edit={() => { editing.value = true }}
        />
        <Notice store={store} />
        <Banner store={store} signIn={end} />
        <MessageLog store={store} />
        <TypingLine store={store} />
        <Composer store={store} input={composer} />
      </main>
      <MembersPanel store={store} close={() => { membersOpen.value = false }} />
      <div class='sr-only' aria-live='polite' id='announcer'>{store.announcement}</div>
      <RenameDialog opened={renaming} me={store.me} save={store.rename} />
      <MailDialog opened={mailing} load={store.mailChoice} save={store.saveMailChoice} />
      <NewRoomDialog opened={creating} create={store.createRoom} />
      <EditRoomDialog opened={editing} info={store.view.info} save={store.editRoom} />
      <EmailDialog
        opened={inviting} id='invite' title='Invite someone' submitLabel='Invite' send={store.invite}
        intro='They get an email, and the room is in their list when they sign in.'
      />
      <EmailDialog
        opened={messaging} id='new-direct' title='New message' submitLabel='Start conversation' send={store.startDirect}
        intro='A conversation between the two of you: only you two can read it.'
      />
    </div>
  )
}
