import { CODE_PATTERN, LIMITS } from '@webchat/shared'

const codeRule = new RegExp(CODE_PATTERN)
/** What people put between the digits when they type or paste a code: spaces and dashes. */
const SEPARATOR = '[\\s\\-\\u2010-\\u2015\\u2212]'

/** Room in the code box for the digits with a separator after each, so a grouped paste is not cut short. */
export const CODE_INPUT_CHARS = LIMITS.codeDigits * 2

/** The code box's `pattern`: the digits, with separators anywhere (as `codeOf` takes them). */
export const CODE_INPUT_PATTERN = `${SEPARATOR}*(?:[0-9]${SEPARATOR}*){${LIMITS.codeDigits}}`

/**
 * The code as the API takes it, from what was typed or pasted ("1234 5678", "1234-5678", full-width
 * digits from an IME), or `null` when it is not one.
 */
export function codeOf (typed: string): string | null {
  const code = typed.normalize('NFKC').replace(new RegExp(SEPARATOR, 'g'), '')
  return codeRule.test(code) ? code : null
}
