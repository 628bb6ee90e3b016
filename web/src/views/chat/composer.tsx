import { useComputed, useSignal } from '@preact/signals'
import type { RefObject } from 'preact'
import { LIMITS } from '@webchat/shared'
import type { ChatStore } from '../../store/chat-store.js'
import { Icon } from '../icon.js'

const MAX_ROWS = 8

/**
 * The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to 8 lines.
 * Once the session has ended it is off for good.
 */
export function Composer ({ store, input }: { store: ChatStore, input: RefObject<HTMLTextAreaElement | null> }) {
  const text = useSignal('')
  const ended = useComputed(() => store.connection.value?.state === 'ended')
  const label = `Message #${store.active.value}`
  const value = text.value

  function submit (): void {
    const message = text.value.trim()
    if (message === '') return
    store.send(message)
    text.value = ''
    input.current?.focus()
  }

  return (
    <form class='composer' onSubmit={(e) => { e.preventDefault(); submit() }}>
      <label class='sr-only' for='composer-input'>{label}</label>
      <div class='composer-box'>
        <textarea
          ref={input} id='composer-input' rows={Math.min(MAX_ROWS, value.split('\n').length)} maxlength={LIMITS.textChars}
          aria-describedby='composer-hint' autocomplete='off' placeholder={label} disabled={ended.value} value={value}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault()
              submit()
            }
          }}
          onInput={(e) => {
            text.value = e.currentTarget.value
            if (text.value.trim() !== '') store.typing()
          }}
        />
        <button class='btn btn-send' type='submit' aria-label='Send message' disabled={ended.value || value.trim() === ''}><Icon name='send' /></button>
      </div>
      <p class='composer-hint' id='composer-hint'>Enter to send · Shift+Enter for a new line</p>
    </form>
  )
}
