/**
 * Message ids are `<ms>-<seq>` (both decimal, up to 16 digits): ordered by time, then sequence.
 * Compared as zero-padded strings so that 16-digit parts never lose precision.
 */
function key (id: string): string {
  const dash = id.indexOf('-')
  const ms = dash < 0 ? id : id.slice(0, dash)
  const seq = dash < 0 ? '0' : id.slice(dash + 1)
  return ms.padStart(16, '0') + '-' + seq.padStart(16, '0')
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareIds (a: string, b: string): number {
  const ka = key(a)
  const kb = key(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** The newer of two ids; `undefined` counts as older than anything. */
export function newerId (a: string | undefined, b: string): string {
  return a === undefined || compareIds(b, a) > 0 ? b : a
}
