import { bidiSegments } from '../model/bidi-controls.js'

/**
 * A text someone wrote, as text nodes, with its direction controls drawn as markers instead of
 * obeyed (see model/bidi-controls.ts). Each marker has its own `dir`: that keeps its letters out of
 * a `dir=auto` parent's choice of direction, and its box in one piece whatever the text around it.
 */
export function BidiText ({ text }: { text: string }) {
  return (
    <>
      {bidiSegments(text).map((s, i) => s.kind === 'text'
        ? s.text
        : <span key={i} class='bidi-control' dir='ltr' title={s.title}>{s.abbr}</span>)}
    </>
  )
}
