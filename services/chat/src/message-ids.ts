/**
 * Orders log ids (`<ms>-<seq>`) without converting them to numbers: a longer digit run is larger,
 * equal lengths compare as strings. Both parts stay exact at any length.
 */
export function compareIds (a: string, b: string): number {
  if (a === b) return 0
  const da = a.indexOf('-')
  const db = b.indexOf('-')
  return comparePart(a.slice(0, da), b.slice(0, db)) || comparePart(a.slice(da + 1), b.slice(db + 1))
}

function comparePart (a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

export function maxId (a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return compareIds(a, b) >= 0 ? a : b
}
