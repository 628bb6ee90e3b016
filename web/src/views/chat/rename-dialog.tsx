import { useSignal, useSignalEffect, type ReadonlySignal, type Signal } from '@preact/signals'
import { useRef } from 'preact/hooks'
import { LIMITS, normalizeName, type User } from '@webchat/shared'

interface Props {
  opened: Signal<boolean>
  me: ReadonlySignal<User>
  /** Resolves with what went wrong, if anything: the server's answer decides. */
  save (name: string): Promise<string | undefined>
}

/** A modal to change one's display name. */
export function RenameDialog ({ opened, me, save }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const error = useSignal('')
  const busy = useSignal(false)

  // The dialog's own methods open it (modal, focus trapped) and close it; the box starts with my name, selected.
  useSignalEffect(() => {
    const box = dialog.current!
    if (opened.value && !box.open) {
      input.current!.value = me.peek().name
      error.value = ''
      box.showModal()
      input.current!.select()
    } else if (!opened.value && box.open) box.close()
  })

  function submit (): void {
    const name = normalizeName(input.current!.value)
    if (name === null) {
      error.value = `Use 1 to ${LIMITS.nameChars} characters that show: no invisible, filler or control characters.`
      return
    }
    busy.value = true
    void save(name).then((failure) => {
      busy.value = false
      if (failure === undefined) opened.value = false
      else error.value = failure
    })
  }

  return (
    <dialog ref={dialog} class='dialog' aria-labelledby='rename-title' onClose={() => { opened.value = false }}>
      <form class='stack' novalidate onSubmit={(e) => { e.preventDefault(); submit() }}>
        <h2 id='rename-title'>Your display name</h2>
        <p class='muted'>This is how others see you in every room.</p>
        <label for='rename-input'>Display name</label>
        <input ref={input} id='rename-input' name='name' maxlength={LIMITS.nameChars} required autocomplete='nickname' aria-describedby='rename-error' />
        <p class='form-error' id='rename-error' role='alert'>{error}</p>
        <div class='row-end'>
          <button class='btn' type='button' onClick={() => { opened.value = false }}>Cancel</button>
          <button class='btn btn-primary' type='submit' disabled={busy}>Save</button>
        </div>
      </form>
    </dialog>
  )
}
