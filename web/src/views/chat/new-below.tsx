import type { ReadonlySignal } from '@preact/signals'

/** "3 new messages ↓", while messages arrived below a reader who scrolled up. */
export function NewBelow ({ count, show }: { count: ReadonlySignal<number>, show (): void }) {
  const n = count.value
  return (
    <button class='btn btn-small new-below' type='button' hidden={n === 0} onClick={show}>
      {`${n} new ${n === 1 ? 'message' : 'messages'} ↓`}
    </button>
  )
}
