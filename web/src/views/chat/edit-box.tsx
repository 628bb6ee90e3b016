import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { LIMITS } from '@webchat/shared'

interface Props {
  text: string
  save (text: string): Promise<string | undefined>
  cancel (): void
}

/** Editing one of my messages in place: Enter saves, Shift+Enter adds a line, Escape cancels. */
export function EditBox ({ text, save, cancel }: Props) {
  const value = useSignal(text)
  const busy = useSignal(false)
  const input = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    const el = input.current
    if (el === null) return
    el.focus()
    el.setSelectionRange(el.value.length, el.value.length)
  }, [])
  const submit = (): void => {
    busy.value = true
    void save(value.value).then(() => { busy.value = false })
  }
  return (
    <form class='edit-box' onSubmit={(e) => { e.preventDefault(); submit() }}>
      <textarea
        ref={input} aria-label='Edit message' rows={Math.min(8, value.value.split('\n').length)} maxlength={LIMITS.textChars} value={value.value} disabled={busy.value}
        onInput={(e) => { value.value = e.currentTarget.value }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') { e.preventDefault(); cancel() }
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit() }
        }}
      />
      <div class='edit-actions'>
        <span class='hint'>Escape to cancel · Enter to save</span>
        <button class='btn btn-small' type='button' onClick={cancel}>Cancel</button>
        <button class='btn btn-small btn-primary' type='submit' disabled={busy.value || value.value.trim() === ''}>Save</button>
      </div>
    </form>
  )
}
