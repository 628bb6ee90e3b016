import t from 'tap'
import { LIMITS, NAME_PATTERN, normalizeName } from '../src/index.js'

/** A TAP-safe label: every character outside printable ASCII as \uXXXX. */
const show = (value: string): string => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
const schemaRule = new RegExp(NAME_PATTERN, 'u')

/** Every default-ignorable code point that is assigned, by the Unicode DerivedCoreProperties list. */
const IGNORABLE = [
  0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E, 0x180F,
  0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
  0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F,
  0x3164, 0xFE00, 0xFE0F, 0xFEFF, 0xFFA0, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A, 0xE0001, 0xE0020, 0xE007F, 0xE0100, 0xE01EF
].map((cp) => String.fromCodePoint(cp))

/** Characters that draw nothing although they are not default-ignorable, and controls. */
const BLANK_OR_CONTROL = ['\u2800', '\u{1D159}', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\uFFF9', '\u{E0000}', '\uD800', '\uDFFF', '\uFFFF', '\uE000', '\u{10FFFD}', '\u0378']

t.test('names of nothing but invisible, filler or control characters are refused', async (t) => {
  const refused = [
    '', ' ', '   ', '\t', '\u00A0', '\u3000', '\u2003\u2009', ' \u200B ',
    '\u3164', '\u3164\u3164\u3164', ' \u3164 ', '\u115F', '\u1160', '\uFFA0', '\u115F\u1160', '\u2800', '\u2800\u2800',
    '\u200B', '\u200C', '\u200D', '\u200D\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\u180E',
    '\u202E', '\u202Ename', '\u2066\u2069', '\u200E\u200F', '\uFE0F', '\u{E0041}\u{E0042}', '\u0301', '\u0301\u0301'
  ]
  for (const name of [...refused, ...IGNORABLE, ...BLANK_OR_CONTROL]) {
    t.equal(normalizeName(name), null, show(name))
    t.notOk(schemaRule.test(name), `schema pattern refuses ${show(name)}`)
  }
})

t.test('invisible, filler and control characters are refused inside a name too', async (t) => {
  const cases = [
    ...IGNORABLE.filter((c) => !'\u200C\u200D\uFE00\uFE0F\u180B\u180C\u180D\u180F\u{E0020}\u{E007F}\u{E0100}\u{E01EF}'.includes(c)),
    ...BLANK_OR_CONTROL
  ]
  for (const c of cases) {
    // Line separators and U+FEFF count as white space at the ends, where trimming takes them.
    const atEnds = c.trim() === '' ? [] : [`Ada${c}`, `${c}Ada`]
    for (const name of [...atEnds, `Ada${c}Lovelace`, `Ada ${c} Lovelace`]) {
      t.equal(normalizeName(name), null, show(name))
    }
  }
  // Joiners join two visible characters only.
  for (const name of ['Ada\u200D', '\u200DAda', 'Ada\u200D\u200DLovelace', 'Ada \u200D Lovelace', 'Ada\u200C', '\u200CAda', 'A\u200D\u200CB']) {
    t.equal(normalizeName(name), null, show(name))
  }
  // Selectors and marks follow a visible character, and do not pile up.
  t.equal(normalizeName('\uFE0FAda'), null, 'selector first')
  t.equal(normalizeName('Ada \uFE0F'), null, 'selector after a space')
  t.equal(normalizeName(`x${'\u0301'.repeat(9)}`), null, 'nine marks on one letter (x has no precomposed form to take one)')
  t.equal(normalizeName(`x${'\u0301'.repeat(8)}`), `x${'\u0301'.repeat(8)}`, 'eight are fine')
  t.equal(normalizeName(`Z${'\u0336\u0334\u0335'.repeat(10)}algo`), null, 'zalgo')
  t.equal(normalizeName('line\nbreak'), null)
  t.equal(normalizeName('tab\there'), null)
})

t.test('ordinary names in many scripts are kept', async (t) => {
  const kept = [
    'Ana', 'Ada Lovelace', "O'Brien", 'J. R. R. Tolkien', 'Zoë', 'José María López', 'Ærøskøbing', 'Łukasz Żółć',
    'Ελένη', 'Дмитрий', 'Աննա', 'ნინო',
    'محمد', 'مريم الأحمد', 'فاطمه‌زهرا', 'می‌خواهم', 'דוד', 'שרה כהן',
    'देवनागरी', 'क्‍ष', 'र्‍य', 'ಕನ್ನಡ', 'தமிழ்', 'ไทย สมชาย', 'ລາວ', 'မြန်မာ', 'ᠮᠣᠩᠭᠣᠯ', 'ᠤ᠋ᠢ',
    '李小龙', '山田　太郎', 'やまだ', 'ヤマダ・タロウ', '김민수', '홍길동',
    '😀', '😀 smile', '👩‍👩‍👧‍👦', '👨‍👩‍👧', '🏳️‍🌈', '❤️‍🔥', '👩🏽‍💻', '🧑🏿‍🤝‍🧑🏻', '🇫🇷', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '❤️', '葛󠄀',
    'Ana 😀 李', '42', '...', '⠁⠃⠉', 'x'.repeat(LIMITS.nameChars), '😀'.repeat(LIMITS.nameChars),
    `e${'\u0301\u0302\u0303'}`, 'Tiếng Việt'
  ]
  for (const name of kept) {
    t.equal(normalizeName(name), name.normalize('NFC'), show(name))
    t.ok(schemaRule.test(name), `schema pattern keeps ${show(name)}`)
  }
})

t.test('normalized: trimmed, NFC, runs of spaces made one, counted in characters', async (t) => {
  t.equal(normalizeName('  Ana  '), 'Ana')
  t.equal(normalizeName('\tAna\n'), 'Ana', 'trim takes any white space at the ends')
  t.equal(normalizeName('Zoe\u0308'), 'Zo\u00EB', 'NFC: one spelling of ë')
  t.equal(normalizeName('Ada    Lovelace'), 'Ada Lovelace')
  t.equal(normalizeName('Ada\u00A0\u3000Lovelace'), 'Ada Lovelace')
  t.equal(normalizeName('山田　太郎'), '山田　太郎', 'one wide space stays as typed')
  t.equal(normalizeName('a'.repeat(LIMITS.nameChars + 1)), null)
  t.equal(normalizeName(`  ${'y'.repeat(LIMITS.nameChars)}  `), 'y'.repeat(LIMITS.nameChars), 'trimmed before counting')
})

t.test('the schema pattern takes what normalizeName keeps, spaces at the ends included', async (t) => {
  for (const name of ['Ana', ' Ana ', '\u3000李\u3000', 'Ada  Lovelace']) t.ok(schemaRule.test(name), show(name))
  // The rule is linear: a long hostile input is answered at once.
  const started = performance.now()
  for (const name of [`${'a\u200D'.repeat(5000)}`, `${'a '.repeat(5000)}\u200B`, `a${' '.repeat(10_000)}\u3164`]) t.notOk(schemaRule.test(name))
  t.ok(performance.now() - started < 500, 'no catastrophic backtracking')
})
