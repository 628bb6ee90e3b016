import t from 'tap'
import { bidiSegments, controlsWrittenOut, type TextSegment } from '../src/model/bidi-controls.js'
import { fullName, userTag } from '../src/model/identity.js'

/** A segment list as one readable string: text as it is, each control as ⟨ABBR⟩. */
const shown = (segments: TextSegment[]): string => segments.map((s) => s.kind === 'text' ? s.text : `⟨${s.abbr}⟩`).join('')

/** The text the segments were cut from, with each control put back. */
const CHAR: Record<string, string> = { LRE: '\u202A', RLE: '\u202B', PDF: '\u202C', LRO: '\u202D', RLO: '\u202E', LRI: '\u2066', RLI: '\u2067', FSI: '\u2068', PDI: '\u2069' }
const rejoined = (segments: TextSegment[]): string => segments.map((s) => s.kind === 'text' ? s.text : CHAR[s.abbr]).join('')

t.test('a text without controls is one text segment', async (t) => {
  for (const text of ['', 'hello', 'שלום עולם', 'a\u200Eb\u200Fc\u061Cd', '<b>not markup</b>', 'line\nbreak\u200B\u200D']) {
    t.same(bidiSegments(text), [{ kind: 'text', text }], JSON.stringify(text))
  }
})

t.test('each control is a marker with its abbreviation and a hover text naming it', async (t) => {
  const expected: Array<[string, string, string]> = [
    ['\u202A', 'LRE', 'left-to-right embedding (U+202A)'],
    ['\u202B', 'RLE', 'right-to-left embedding (U+202B)'],
    ['\u202C', 'PDF', 'pop directional formatting (U+202C)'],
    ['\u202D', 'LRO', 'left-to-right override (U+202D)'],
    ['\u202E', 'RLO', 'right-to-left override (U+202E)'],
    ['\u2066', 'LRI', 'left-to-right isolate (U+2066)'],
    ['\u2067', 'RLI', 'right-to-left isolate (U+2067)'],
    ['\u2068', 'FSI', 'first strong isolate (U+2068)'],
    ['\u2069', 'PDI', 'pop directional isolate (U+2069)']
  ]
  for (const [char, abbr, title] of expected) {
    t.same(bidiSegments(`a${char}b`), [{ kind: 'text', text: 'a' }, { kind: 'control', abbr, title }, { kind: 'text', text: 'b' }], abbr)
  }
  t.same(bidiSegments('photo_\u202Egnp.exe').map((s) => s.kind === 'text' ? s.text : s.abbr), ['photo_', 'RLO', 'gnp.exe'])
  // The neighbours of the range are left alone.
  for (const char of ['\u2029', '\u202F', '\u2065', '\u206A']) t.equal(bidiSegments(`a${char}b`).length, 1, char.codePointAt(0)!.toString(16))
})

t.test('controls in a row, at the start and at the end', async (t) => {
  t.equal(shown(bidiSegments('\u202E\u202D\u202C')), '⟨RLO⟩⟨LRO⟩⟨PDF⟩', 'only controls: no empty text between them')
  t.equal(bidiSegments('\u202E\u202D\u202C').length, 3)
  t.equal(shown(bidiSegments('\u2067abc')), '⟨RLI⟩abc')
  t.equal(shown(bidiSegments('abc\u2069')), 'abc⟨PDI⟩')
  t.equal(shown(bidiSegments('\u202Eabc\u202C')), '⟨RLO⟩abc⟨PDF⟩')
  t.equal(shown(bidiSegments('\u202E')), '⟨RLO⟩')
  t.equal(shown(bidiSegments('a\u2066\u2067\u2068b\u2069\u2069\u2069c')), 'a⟨LRI⟩⟨RLI⟩⟨FSI⟩b⟨PDI⟩⟨PDI⟩⟨PDI⟩c')
  for (const segments of [bidiSegments('\u202E\u202D'), bidiSegments('x\u202Ey\u202Dz')]) {
    t.notOk(segments.some((s) => s.kind === 'text' && s.text === ''), 'no empty text segment')
  }
})

t.test('surrogate pairs, emoji sequences and marks around controls are kept whole', async (t) => {
  const texts = ['😀\u202E😀', '👩‍👩‍👧\u2067𝒜\u2069🇫🇷', '\u202E🏳️‍🌈', 'é\u202Ee\u0301', '𠜎\u202A', '\u{E0067}\u202B\u{1F3F4}']
  for (const text of texts) {
    const segments = bidiSegments(text)
    t.equal(rejoined(segments), text, `${JSON.stringify(text)} puts back together`)
    for (const s of segments) {
      if (s.kind === 'text') t.notMatch(s.text, /\p{Cs}/u, `${JSON.stringify(s.text)} has no lone surrogate`)
    }
  }
  t.same(bidiSegments('😀\u202E😀').map((s) => s.kind === 'text' ? s.text : s.abbr), ['😀', 'RLO', '😀'])
})

t.test('any text comes back whole, in its order', async (t) => {
  const alphabet = ['a', 'ש', ' ', '.', '1', '😀', '\u200F', ...Object.values(CHAR)]
  for (let n = 0; n < 500; n++) {
    const text = Array.from({ length: n % 40 }, (_, i) => alphabet[(i * 7 + n * 13) % alphabet.length]).join('')
    const segments = bidiSegments(text)
    t.equal(rejoined(segments), text)
    t.notOk(segments.some((s, i) => i > 0 && s.kind === 'text' && segments[i - 1]!.kind === 'text'), 'no two text segments in a row')
  }
})

t.test('for hover texts, controls are written out, so a name cannot turn its tag around', async (t) => {
  t.equal(controlsWrittenOut('photo_\u202Egnp.exe'), 'photo_⟨RLO⟩gnp.exe')
  t.equal(controlsWrittenOut('\u2067abc\u2069😀'), '⟨RLI⟩abc⟨PDI⟩😀')
  t.equal(controlsWrittenOut('Ada\u200FLovelace'), 'Ada\u200FLovelace', 'marks are kept')
  t.equal(fullName({ id: 'bot', name: 'Ada \u202Eecalevol' }), `Ada ⟨RLO⟩ecalevol #${userTag('bot')}`)
  t.equal(fullName({ id: 'u1', name: 'Ada' }), `Ada #${userTag('u1')}`)
})

t.test('long texts take linear time', async (t) => {
  const time = (text: string): number => {
    const start = performance.now()
    bidiSegments(text)
    return performance.now() - start
  }
  const sizes = [50_000, 400_000]
  for (const unit of ['a', '\u202E', 'a\u202E', '😀\u2066', 'x'.repeat(999) + '\u2069']) {
    const make = (size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
    time(make(sizes[0]!))
    const [small, large] = sizes.map((size) => Math.min(time(make(size)), time(make(size)), time(make(size))))
    // Eight times the text: linear is about 8 times the time; quadratic would be 64.
    t.ok(large! < small! * 24 + 20, `${JSON.stringify(unit.slice(0, 4))}: ${small!.toFixed(1)} ms for 50k, ${large!.toFixed(1)} ms for 400k`)
    t.equal(rejoined(bidiSegments(make(sizes[1]!))), make(sizes[1]!), 'and it comes back whole')
  }
})
