/**
 * "Ana is typing…", "Ana and Ben are typing…", "Ana, Ben and Cy are typing…", "Several people are
 * typing…", in parts: the names as given (a view draws each one isolated), the words between as strings.
 */
export function typingParts<T> (names: readonly T[]): Array<T | string> {
  const [a, b, c] = names
  if (a === undefined) return []
  if (b === undefined) return [a, ' is typing…']
  if (c === undefined) return [a, ' and ', b, ' are typing…']
  if (names.length === 3) return [a, ', ', b, ' and ', c, ' are typing…']
  return ['Several people are typing…']
}

export const typingText = (names: readonly string[]): string => typingParts(names).join('')

/** How long a "typing" event shows: a little over the interval at which clients repeat it. */
export const TYPING_SHOW_MS = 3500
