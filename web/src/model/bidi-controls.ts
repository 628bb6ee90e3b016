/**
 * Direction controls in a message, shown instead of obeyed. The embeddings, overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069) are invisible and reorder all the text after them, so
 * "photo_<RLO>gnp.exe" reads "photo_exe.png". A text is cut into its plain runs and these controls;
 * the page draws each control as a small marker in place of the character, so the text reads in
 * the order it was written, as code editors and GitHub show them. The stored text is left as it is.
 *
 * The marks LRM, RLM and ALM (U+200E, U+200F, U+061C) stay invisible and in effect: they are not
 * controls over a run but strong characters that draw nothing, so they move only the neutral
 * characters beside them (spaces, punctuation, digit groups), never a letter; and people writing
 * Hebrew, Arabic or Persian type them to put punctuation and numbers in their place, so a marker
 * for each would clutter ordinary messages to guard against little.
 */

export interface BidiControl {
  readonly kind: 'control'
  /** Its usual abbreviation, "RLO": what the marker shows. */
  readonly abbr: string
  /** Its name and code point, "right-to-left override (U+202E)": the marker's hover text. */
  readonly title: string
}

export type TextSegment = { readonly kind: 'text', readonly text: string } | BidiControl

const NAMES: ReadonlyArray<readonly [number, string, string]> = [
  [0x202A, 'LRE', 'left-to-right embedding'],
  [0x202B, 'RLE', 'right-to-left embedding'],
  [0x202C, 'PDF', 'pop directional formatting'],
  [0x202D, 'LRO', 'left-to-right override'],
  [0x202E, 'RLO', 'right-to-left override'],
  [0x2066, 'LRI', 'left-to-right isolate'],
  [0x2067, 'RLI', 'right-to-left isolate'],
  [0x2068, 'FSI', 'first strong isolate'],
  [0x2069, 'PDI', 'pop directional isolate']
]

const CONTROLS: ReadonlyMap<string, BidiControl> = new Map(NAMES.map(([code, abbr, name]) => [
  String.fromCharCode(code),
  { kind: 'control', abbr, title: `${name} (U+${code.toString(16).toUpperCase()})` }
]))

/** Every control above; each is one UTF-16 unit outside the surrogates, so no cut splits a pair. */
const CONTROL = /[\u202A-\u202E\u2066-\u2069]/g

/** A text as its plain runs and controls, in the order written: one text segment when it holds none. */
export function bidiSegments (text: string): TextSegment[] {
  const segments: TextSegment[] = []
  let from = 0
  for (const match of text.matchAll(CONTROL)) {
    if (match.index > from) segments.push({ kind: 'text', text: text.slice(from, match.index) })
    segments.push(CONTROLS.get(match[0])!)
    from = match.index + 1
  }
  if (from < text.length || segments.length === 0) segments.push({ kind: 'text', text: text.slice(from) })
  return segments
}

/** The text with each control written out, "⟨RLO⟩", for what takes plain text only: hover texts. */
export function controlsWrittenOut (text: string): string {
  return bidiSegments(text).map((s) => s.kind === 'text' ? s.text : `⟨${s.abbr}⟩`).join('')
}
