import type { ReadonlySignal, Signal } from '@preact/signals'
import { LIMITS } from '@webchat/shared'
import type { RoomInfo } from '../../model/room-info.js'
import { ModalForm } from './modal-form.js'

const field = (form: HTMLFormElement, name: string): HTMLInputElement => form.elements.namedItem(name) as HTMLInputElement

/** A title and a topic, for a new room and for editing one. */
function TitleTopicFields ({ id }: { id: string }) {
  return (
    <>
      <label for={`${id}-name`}>Title</label>
      <input id={`${id}-name`} name='title' maxlength={LIMITS.roomTitleChars} required autocomplete='off' dir='auto' aria-describedby={`${id}-error`} />
      <label for={`${id}-topic`}>Topic <span class='muted'>(optional)</span></label>
      <textarea id={`${id}-topic`} name='topic' rows={3} maxlength={LIMITS.roomTopicChars} dir='auto' />
    </>
  )
}

type Save = (title: string, topic: string) => Promise<string | undefined>

function titleAndTopic (form: HTMLFormElement, save: Save): Promise<string | undefined> | string {
  const title = field(form, 'title').value.trim()
  if (title === '') {
    field(form, 'title').focus()
    return 'Give the room a title.'
  }
  return save(title, field(form, 'topic').value.trim())
}

/** "New room": a private room, made and opened. */
export function NewRoomDialog ({ opened, create }: { opened: Signal<boolean>, create: Save }) {
  return (
    <ModalForm
      opened={opened} id='new-room' title='New room' submitLabel='Create room'
      intro='A private room: only the people you invite can find it, read it and write in it.'
      reset={(form) => { form.reset() }} submit={(form) => titleAndTopic(form, create)}
    >
      <TitleTopicFields id='new-room' />
    </ModalForm>
  )
}

/** Editing the open room's title and topic (owner and moderators). */
export function EditRoomDialog ({ opened, info, save }: { opened: Signal<boolean>, info: ReadonlySignal<RoomInfo>, save: Save }) {
  return (
    <ModalForm
      opened={opened} id='edit-room' title='Edit room' submitLabel='Save'
      reset={(form) => {
        field(form, 'title').value = info.peek().title
        field(form, 'topic').value = info.peek().topic
      }}
      submit={(form) => titleAndTopic(form, save)}
    >
      <TitleTopicFields id='edit-room' />
    </ModalForm>
  )
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

interface EmailProps {
  opened: Signal<boolean>
  id: string
  title: string
  intro: string
  submitLabel: string
  send (email: string): Promise<string | undefined>
}

/** Someone's email address: to invite them to the open room, or to start a direct conversation. */
export function EmailDialog ({ opened, id, title, intro, submitLabel, send }: EmailProps) {
  return (
    <ModalForm
      opened={opened} id={id} title={title} intro={intro} submitLabel={submitLabel}
      reset={(form) => { form.reset() }}
      submit={(form) => {
        const email = field(form, 'email').value.trim()
        if (!EMAIL.test(email)) return 'Type an email address, like ana@example.com.'
        return send(email)
      }}
    >
      <label for={`${id}-email`}>Email address</label>
      <input id={`${id}-email`} name='email' type='email' maxlength={254} required autocomplete='email' inputMode='email' aria-describedby={`${id}-error`} />
    </ModalForm>
  )
}
