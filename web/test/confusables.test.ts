import t from 'tap'
import { nameKey, sharedNames, tagIfShared, userTag } from '../src/model/identity.js'

/** Issue 14, item 4: a name spelled with letters that only look like the real one's is the same name to the tag rule. */

const ADA = 'Ada Lovelace'

t.test('look-alike letters from other scripts give the name the real one has', async (t) => {
  const spoofs: Array<[string, string]> = [
    ['\u0410da Lovelace', 'Cyrillic capital A'],
    ['Ada L\u043Evelace', 'Cyrillic o'],
    ['\u0391da Lovelace', 'Greek capital Alpha'],
    ['Ada Lovelac\u0435', 'Cyrillic e'],
    ['Ada L\u03BFvelace', 'Greek omicron'],
    ['\u0410\u0501\u0430 \u04C0\u043E\u03BD\u0435\u04CF\u0430\u0441\u0435', 'all Cyrillic and Greek'],
    ['\uFF21\uFF44\uFF41 \uFF2C\uFF4F\uFF56\uFF45\uFF4C\uFF41\uFF43\uFF45', 'full-width letters'],
    ['Ada Lo\u0308vela\u0301ce', 'Latin with combining marks'],
    ['aDA lOVELACE', 'mixed case'],
    ['Ada L0ve1ace', 'digits for letters'],
    ['Ada IoveIace', 'capital I for l'],
    ['Ada\u200B Love\u2060lace\u00AD', 'invisible characters'],
    ['\u202EAda Lovelace\u202C', 'direction controls']
  ]
  for (const [spoof, how] of spoofs) t.equal(nameKey(spoof), nameKey(ADA), how)
  t.equal(nameKey('\u0397elen'), nameKey('Helen'), 'a Greek capital Eta is an H, though its small letter looks like n')
  t.equal(nameKey('\u03B7ina'), nameKey('nina'), 'and the small eta an n')
  t.equal(nameKey('Emma'), nameKey('Ernrna'), 'rn for m')
  t.equal(nameKey('Will'), nameKey('Vvill'), 'vv for w')
  t.equal(nameKey('Stra\u00DFe'), nameKey('STRASSE'), 'case folded fully')
})

t.test('names that do not look alike keep different keys', async (t) => {
  const names = [ADA, 'Ada Byron', 'Eda Lovelace', 'Ada Lovelace Jr', 'Ana', 'Ann', 'Anna', '\u0410\u043D\u043D\u0430', 'Ivan', '\u0418\u0432\u0430\u043D',
    'Grace Hopper', 'Alan Turing', '\u0645\u062D\u0645\u062F', '\u0639\u0644\u064A', '\u674E\u96F7', '\u674E\u857E', 'Zoe', 'Zoë Two', 'Bob', 'Rob']
  const keys = names.map(nameKey)
  t.equal(new Set(keys).size, names.length, JSON.stringify(keys))
  for (const key of keys) t.ok(key.length > 0)
})

t.test('a look-alike name shows the tag beside both names, and beside no one else', async (t) => {
  const real = { id: 'ada', name: ADA }
  const impostor = { id: 'bot-1', name: '\u0410da Lovelace' }
  const ben = { id: 'ben', name: 'Ben' }
  const shared = sharedNames([real, ben, impostor])
  t.equal(tagIfShared(real, shared), userTag('ada'))
  t.equal(tagIfShared(impostor, shared), userTag('bot-1'))
  t.equal(tagIfShared(ben, shared), undefined)
  t.equal(sharedNames([real, ben]).size, 0, 'alone, the real one shows no tag')
})

t.test('the key takes time linear in the name\'s length', async (t) => {
  const piece = '\u0410d\u0430 L\u043Evel\u0430c\u0435 \u0397\u03B7 rn m vv w 0 1 I \u200B A\u0308 \uFF21 '
  const short = piece.repeat(250)
  const long = piece.repeat(250 * 64)
  /** The median time of five runs of `calls` keys of the name. */
  const timeOf = (name: string, calls: number): number => {
    const runs: number[] = []
    for (let i = 0; i < 5; i++) {
      const start = performance.now()
      for (let c = 0; c < calls; c++) nameKey(name)
      runs.push(performance.now() - start)
    }
    return runs.sort((a, b) => a - b)[2]!
  }
  timeOf(short, 64)
  // One name 64 times as long against 64 keys of the short one: about the same time if linear, 64 times it if quadratic.
  const [many, one] = [timeOf(short, 64), timeOf(long, 1)]
  t.ok(one < 1000, `${long.length} characters in ${one.toFixed(1)} ms`)
  t.ok(one / many < 8, `one long name took ${(one / many).toFixed(1)} times as long as 64 short ones (${many.toFixed(1)} ms, ${one.toFixed(1)} ms)`)
})
