import { useSignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

interface Props {
  /** The toggle's accessible name ("Actions for Ben"). */
  label: string
  /** What the toggle shows. */
  face: ComponentChildren
  class?: string
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
export function Menu ({ label, face, class: className, onClose, children }: Props) {
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
      {isOpen ? <div class='menu' role='menu' aria-label={label} ref={menu}>{children(close)}</div> : null}
    </div>
  )
}
