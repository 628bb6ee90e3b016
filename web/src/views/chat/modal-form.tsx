import { useSignal, useSignalEffect, type Signal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useRef } from 'preact/hooks'

interface Props {
  /** Opens and closes the dialog; Escape and Cancel set it false. */
  opened: Signal<boolean>
  /** The id prefix of the dialog's parts. */
  id: string
  title: string
  intro?: string | undefined
  submitLabel: string
  /** Fills the fields as the dialog opens. */
  reset (form: HTMLFormElement): void
  /** The form's values; resolves with what went wrong (shown in the dialog), if anything. */
  submit (form: HTMLFormElement): Promise<string | undefined> | string | undefined
  children: ComponentChildren
}

/**
 * A modal form on the native <dialog>: focus goes to its first field and stays in it, Escape and
 * Cancel close it (focus returns to what opened it), and a refusal shows as text in the dialog.
 */
export function ModalForm ({ opened, id, title, intro, submitLabel, reset, submit, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const error = useSignal('')
  const busy = useSignal(false)

  useSignalEffect(() => {
    const box = dialog.current!
    if (opened.value && !box.open) {
      error.value = ''
      busy.value = false
      reset(form.current!)
      box.showModal()
      form.current!.querySelector<HTMLInputElement>('input, textarea')?.select()
    } else if (!opened.value && box.open) box.close()
  })

  async function send (): Promise<void> {
    busy.value = true
    const failure = await submit(form.current!)
    busy.value = false
    if (failure === undefined) opened.value = false
    else error.value = failure
  }

  return (
    <dialog ref={dialog} class='dialog' id={id} aria-labelledby={`${id}-title`} onClose={() => { opened.value = false }}>
      <form
        ref={form} class='stack' novalidate aria-describedby={`${id}-error`} 
        onInput={() => { error.value = '' }} onSubmit={(e) => { e.preventDefault(); if (!busy.value) void send() }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {intro === undefined ? null : <p class='muted'>{intro}</p>}
        {children}
        <p class='form-error' id={`${id}-error`} role='alert'>{error}</p>
        <div class='row-end'>
          <button class='btn' type='button' onClick={() => { opened.value = false }}>Cancel</button>
          <button class='btn btn-primary' type='submit' disabled={busy}>{submitLabel}</button>
        </div>
      </form>
    </dialog>
  )
}
