import type { ReadonlySignal, Signal } from '@preact/signals'
import { LIMITS, normalizeName, type User } from '@webchat/shared'
import { ModalForm } from './modal-form.js'

interface Props {
  opened: Signal<boolean>
  me: ReadonlySignal<User>
  /** Resolves with what went wrong, if anything: the server's answer decides. */
  save (name: string): Promise<string | undefined>
}

/** A modal to change one's display name; the box starts with my name, selected. */
export function RenameDialog ({ opened, me, save }: Props) {
  const input = (form: HTMLFormElement): HTMLInputElement => form.elements.namedItem('name') as HTMLInputElement
  return (
    <ModalForm
      opened={opened} id='rename' title='Your display name' intro='This is how others see you in every room.' submitLabel='Save'
      reset={(form) => { input(form).value = me.peek().name }}
      submit={(form) => {
        const name = normalizeName(input(form).value)
        if (name === null) return `Use 1 to ${LIMITS.nameChars} characters that show: no invisible, filler or control characters.`
        return save(name)
      }}
    >
      <label for='rename-input'>Display name</label>
      <input id='rename-input' name='name' maxlength={LIMITS.nameChars} required autocomplete='nickname' aria-describedby='rename-error' />
    </ModalForm>
  )
}
