import { useSignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef } from 'preact/hooks'

interface Props {
  /** The toggle's accessible name ("Actions for Ben"). */
  label: string
  /** What the toggle shows. */
  face: ComponentChildren
  class?: string
  /** A line above the items that says what they are about ("Mute Ben for:"); it describes the menu. */
  note?: string | undefined
  /** What went wrong with the item chosen, below the items (they stay, to try again). */
  error?: string | undefined
  /** Called whenever the menu closes (to forget a half-done step, such as a confirmation). */
  onClose?: (() => void) | undefined
  /** The menu's items (buttons with role=menuitem); `close` shuts the menu and focuses the toggle. */
  children (close: () => void): ComponentChildren
}

const items = (menu: HTMLElement | null): HTMLElement[] =>
  [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)') ?? [])]

/**
 * A button that opens a small menu below it. Keyboard: the first item takes focus, the arrow keys
 * move between items, Escape closes it and gives focus back to the button; a click or focus
 * elsewhere closes it.
 */
export function Menu ({ label, face, class: className, note, error, onClose, children }: Props) {
  const noteId = useId()
  const open = useSignal(false)
  const shut = (): void => {
    open.value = false
    onClose?.()
  }
  const wrap = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const close = (): void => {
    shut()
    toggle.current?.focus()
  }
  const isOpen = open.value

  useEffect(() => {
    if (!isOpen) return
    items(menu.current)[0]?.focus()
    const outside = (e: Event): void => {
      if (!(e.target instanceof Node) || !wrap.current!.contains(e.target)) shut()
    }
    document.addEventListener('pointerdown', outside)
    document.addEventListener('focusin', outside)
    return () => {
      document.removeEventListener('pointerdown', outside)
      document.removeEventListener('focusin', outside)
    }
  }, [isOpen])

  function onKeyDown (e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close()
      return
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    e.preventDefault()
    const list = items(menu.current)
    const at = list.indexOf(document.activeElement as HTMLElement)
    list[(at + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length]?.focus()
  }

  return (
    <div class={`menu-wrap ${className ?? ''}`} ref={wrap} onKeyDown={onKeyDown}>
      <button
        ref={toggle} class='btn btn-icon' type='button' aria-label={label} title={label}
        aria-haspopup='menu' aria-expanded={isOpen ? 'true' : 'false'} onClick={() => { if (isOpen) shut(); else open.value = true }}
      >
        {face}
      </button>
      {isOpen
        ? (
          <div class='menu'>
            {note === undefined ? null : <p class='menu-note' id={noteId}>{note}</p>}
            <div class='menu-items' role='menu' aria-label={label} aria-describedby={note === undefined ? undefined : noteId} ref={menu}>
              {children(close)}
            </div>
            <p class='menu-error' role='alert' hidden={error === undefined || error === ''}>{error}</p>
          </div>
          )
        : null}
    </div>
  )
}
