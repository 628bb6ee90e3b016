import { useSignal } from '@preact/signals'
import { useRef } from 'preact/hooks'
import { toRoomName } from '../../model/saved-rooms.js'
import { Icon } from '../icon.js'

/** Joins a room by name ("Team Chat" and "#dev" are read as team-chat and dev). */
export function JoinForm ({ join }: { join (room: string): Promise<string | undefined> }) {
  const text = useSignal('')
  const error = useSignal('')
  const input = useRef<HTMLInputElement>(null)

  function submit (): void {
    const name = toRoomName(text.value)
    if (name === null) {
      error.value = 'Room names use a–z, 0–9, - and _ (up to 64).'
      input.current?.focus()
      return
    }
    error.value = ''
    void join(name).then((failure) => {
      if (failure === undefined) text.value = ''
      else error.value = failure
    })
  }

  return (
    <form class='join-form' novalidate onSubmit={(e) => { e.preventDefault(); submit() }}>
      <label for='join-room'>Join a room</label>
      <div class='input-row'>
        <input
          ref={input} id='join-room' name='room' autocomplete='off' placeholder='room-name' maxlength={65} aria-describedby='join-error'
          value={text.value} onInput={(e) => { text.value = e.currentTarget.value; error.value = '' }}
        />
        <button class='btn btn-icon' type='submit' aria-label='Join room'><Icon name='plus' /></button>
      </div>
      <p class='form-error small' id='join-error' role='alert'>{error}</p>
    </form>
  )
}
