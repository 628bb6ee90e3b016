import type { RefObject } from 'preact'
import type { Focus } from './sign-in-flow.js'

/** Moves the cursor where the flow says, in the step's box. */
export function applyFocus (focus: Focus, box: RefObject<HTMLInputElement | null>): void {
  if (focus === 'select-code') box.current?.select()
  else if (focus !== undefined) box.current?.focus()
}
