import { useSignal, type Signal } from '@preact/signals'
import { useEffect } from 'preact/hooks'

const WIDE = '(min-width: 1100px)'

/**
 * Whether the members panel is open: beside the room on wide screens from the start, an overlay
 * opened on demand on narrow ones, which Escape closes.
 */
export function useMembersPanel (): Signal<boolean> {
  const open = useSignal(globalThis.matchMedia?.(WIDE).matches ?? false)
  useEffect(() => {
    const wide = globalThis.matchMedia?.(WIDE)
    const onWidth = (e: MediaQueryListEvent): void => { open.value = e.matches }
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape' && open.value && wide?.matches !== true) open.value = false }
    wide?.addEventListener('change', onWidth)
    document.addEventListener('keydown', onKey)
    return () => {
      wide?.removeEventListener('change', onWidth)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])
  return open
}
