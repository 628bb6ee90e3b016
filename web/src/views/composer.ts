import { LIMITS } from '@webchat/shared'
import { h, icon, ICONS, setText } from '../dom.js'

export interface Composer {
  el: HTMLElement
  setRoom (room: string): void
  /** Turns the box off for good (the session ended). */
  disable (): void
  focus (): void
}

const MAX_ROWS = 8

/** The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to 8 lines. */
export function createComposer (actions: { send (text: string): void, typing (): void }): Composer {
  const label = h('label', { class: 'sr-only', attrs: { for: 'composer-input' } })
  const input = h('textarea', { attrs: { id: 'composer-input', rows: 1, maxlength: LIMITS.textChars, 'aria-describedby': 'composer-hint', autocomplete: 'off' } })
  const sendButton = h('button', { class: 'btn btn-send', attrs: { type: 'submit', 'aria-label': 'Send message' } }, icon(ICONS.send))
  const hint = h('p', { class: 'composer-hint', attrs: { id: 'composer-hint' } }, 'Enter to send · Shift+Enter for a new line')
  const form = h('form', { class: 'composer', on: { submit: (e) => { e.preventDefault(); submit() } } },
    label, h('div', { class: 'composer-box' }, input, sendButton), hint)

  function fit (): void {
    const lines = input.value.split('\n').length
    input.rows = Math.min(MAX_ROWS, Math.max(1, lines))
    sendButton.disabled = input.value.trim() === ''
  }

  function submit (): void {
    const text = input.value.trim()
    if (text === '') return
    actions.send(text)
    input.value = ''
    fit()
    input.focus()
  }

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      submit()
    }
  })
  input.addEventListener('input', () => {
    fit()
    if (input.value.trim() !== '') actions.typing()
  })
  fit()

  return {
    el: form,
    setRoom (room) {
      setText(label, `Message #${room}`)
      input.placeholder = `Message #${room}`
    },
    disable () {
      input.disabled = true
      sendButton.disabled = true
    },
    focus () { input.focus() }
  }
}
