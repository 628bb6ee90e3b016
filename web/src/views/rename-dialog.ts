import { LIMITS, normalizeName } from '@webchat/shared'
import { h, setText } from '../dom.js'

export interface RenameDialog { el: HTMLDialogElement, open (current: string): void }

/** A modal to change one's display name; the server's answer decides. */
export function createRenameDialog (save: (name: string) => Promise<string | undefined>): RenameDialog {
  const input = h('input', { attrs: { id: 'rename-input', name: 'name', maxlength: LIMITS.nameChars, required: true, autocomplete: 'nickname', 'aria-describedby': 'rename-error' } })
  const error = h('p', { class: 'form-error', attrs: { id: 'rename-error', role: 'alert' } })
  const saveButton = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save')
  const cancel = h('button', { class: 'btn', attrs: { type: 'button' }, on: { click: () => el.close() } }, 'Cancel')
  const form = h('form', {
    class: 'stack',
    attrs: { novalidate: true },
    on: {
      submit: (e) => {
        e.preventDefault()
        const name = normalizeName(input.value)
        if (name === null) {
          setText(error, `Use 1 to ${LIMITS.nameChars} characters, without control characters.`)
          return
        }
        saveButton.disabled = true
        void save(name).then((failure) => {
          saveButton.disabled = false
          if (failure === undefined) el.close()
          else setText(error, failure)
        })
      }
    }
  },
  h('h2', { attrs: { id: 'rename-title' } }, 'Your display name'),
  h('p', { class: 'muted' }, 'This is how others see you in every room.'),
  h('label', { attrs: { for: 'rename-input' } }, 'Display name'), input, error,
  h('div', { class: 'row-end' }, cancel, saveButton))
  const el = h('dialog', { class: 'dialog', attrs: { 'aria-labelledby': 'rename-title' } }, form)

  return {
    el,
    open (current) {
      input.value = current
      setText(error, '')
      el.showModal()
      input.select()
    }
  }
}
