const PATHS = {
  people: 'M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M21 19v-1a4 4 0 0 0-3-3.9M15.5 4.1a3 3 0 0 1 0 5.8',
  send: 'M4 12l16-8-6 16-2.5-6.5L4 12z',
  hash: 'M9 4L7 20M17 4l-2 16M4 9h16M3 15h16',
  back: 'M15 6l-6 6 6 6',
  plus: 'M12 5v14M5 12h14',
  lock: 'M7 11V8a5 5 0 0 1 10 0v3M5 11h14v9H5z',
  reply: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 6 6v4',
  smile: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 14s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  // Three dots, drawn as short strokes that the round caps make into discs.
  more: 'M5 12h.5M12 12h.5M19 12h.5'
} as const

/** An inline SVG icon drawn with currentColor; decorative (its button carries the label). */
export function Icon ({ name }: { name: keyof typeof PATHS }) {
  return <svg viewBox='0 0 24 24' class={`icon icon-${name}`} aria-hidden='true'><path d={PATHS[name]} /></svg>
}
