/**
 * Message and log ids, `<ms>-<seq>` as a Redis Stream writes them, ordered by time then sequence.
 * Compared digit run by digit run (a longer run is larger, equal lengths compare as strings) so
 * 16-digit parts stay exact where a conversion to number would round.
 */
/**
 * The `epoch` of a room that has no messages: its log gets a real epoch with its first message,
 * not before, so that joining a room stores nothing. A resume from it is a resume without an
 * epoch: whoever holds it has seen the room from its first message.
 */
export const NO_EPOCH = '0'

export const MESSAGE_ID_PATTERN = '^[0-9]{1,16}-[0-9]{1,16}$'
const messageId = new RegExp(MESSAGE_ID_PATTERN)

export function isMessageId (value: unknown): value is string {
  return typeof value === 'string' && messageId.test(value)
}

/**
 * Negative when `a` is older than `b`, 0 when equal, positive when newer. Lenient like Redis
 * with ids it did not make: `5` is `5-0`, and leading zeros do not count.
 */
export function compareIds (a: string, b: string): number {
  if (a === b) return 0
  const da = a.indexOf('-')
  const db = b.indexOf('-')
  return comparePart(da < 0 ? a : a.slice(0, da), db < 0 ? b : b.slice(0, db)) ||
    comparePart(da < 0 ? '0' : a.slice(da + 1), db < 0 ? '0' : b.slice(db + 1))
}

const LEADING_ZEROS = /^0+(?=.)/

function comparePart (a: string, b: string): number {
  if (a.length !== b.length) {
    // Canonical ids never get here with a leading zero; only then is the regex run.
    if (a[0] === '0') a = a.replace(LEADING_ZEROS, '')
    if (b[0] === '0') b = b.replace(LEADING_ZEROS, '')
    if (a.length !== b.length) return a.length - b.length
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** The newer of two ids; a missing one (null or undefined) counts as older than any. */
export function newerId<T extends string | null | undefined> (a: string | T, b: string | T): string | T {
  if (a === null || a === undefined) return b
  if (b === null || b === undefined) return a
  return compareIds(a, b) >= 0 ? a : b
}
