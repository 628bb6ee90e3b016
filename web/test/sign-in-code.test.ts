import t from 'tap'
import { CODE_INPUT_CHARS, CODE_INPUT_PATTERN, codeOf } from '../src/model/sign-in-code.js'

t.test('a code is taken as typed or pasted: 8 digits, spaces and dashes between them dropped', async (t) => {
  for (const [typed, code] of [
    ['01234567', '01234567'], ['0123 4567', '01234567'], ['0123-4567', '01234567'], [' 0123 4567\t', '01234567'],
    ['0 1 2 3 4 5 6 7', '01234567'], ['0123\u20134567', '01234567'], ['０１２３４５６７', '01234567'], ['0123\u30004567', '01234567']
  ] as const) {
    t.equal(codeOf(typed), code, JSON.stringify(typed))
  }
  for (const typed of ['', '123456', '123 456', '1234567', '123456789', '1234 56789', '1234.5678', '1234_5678', 'abcdefgh', '1234567a', '１２３４５６']) {
    t.equal(codeOf(typed), null, JSON.stringify(typed))
  }
})

t.test('the box takes a grouped paste whole, and its pattern agrees with codeOf', async (t) => {
  t.ok(CODE_INPUT_CHARS >= '0 1 2 3 4 5 6 7'.length)
  // Browsers compile `pattern` with the v flag, anchored.
  const pattern = new RegExp(`^(?:${CODE_INPUT_PATTERN})$`, 'v')
  for (const typed of ['01234567', '0123 4567', '0123-4567', ' 0123 4567 ', '0 1 2 3 4 5 6 7']) t.ok(pattern.test(typed), JSON.stringify(typed))
  for (const typed of ['', '123456', '1234567', '123456789', '1234.5678', 'abcdefgh']) t.notOk(pattern.test(typed), JSON.stringify(typed))
})
