import t from 'tap'
import { formatSignature, parseSignature, signedText } from '../src/index.js'

const mac = 'ab'.repeat(32)
const other = 'cd'.repeat(32)

t.test('a header chat writes parses back to its time and MAC', async (t) => {
  t.same(parseSignature(formatSignature(1796472000, mac)), { t: 1796472000, v1: [mac] })
  t.equal(signedText(1796472000, '{"a":1}'), '1796472000.{"a":1}', 'the signed text: time, dot, body')
  t.same(parseSignature(` t=17 , v1=${mac} `), { t: 17, v1: [mac] }, 'spaces around the parts')
})

t.test('several v1s (a secret being replaced) all come back, in order; other keys are ignored', async (t) => {
  t.same(parseSignature(`t=17,v1=${mac},v1=${other}`), { t: 17, v1: [mac, other] })
  t.same(parseSignature(`v1=${other},t=17,v1=${mac}`), { t: 17, v1: [other, mac] }, 't anywhere')
  t.same(parseSignature(`t=17,v0=old,v1=${mac},v2=whatever,scheme`), { t: 17, v1: [mac] }, 'a v0, a v2 and a part without =')
})

t.test('anything else is no signature', async (t) => {
  for (const header of [
    '', 't=17', `v1=${mac}`, `t=,v1=${mac}`, `t=soon,v1=${mac}`, `t=-17,v1=${mac}`, `t=1.5,v1=${mac}`, `t=${'9'.repeat(13)},v1=${mac}`,
    `t=17,v1=${mac.slice(2)}`, `t=17,v1=${mac.toUpperCase()}`, `t=17,v1=${mac}00`, `t=17,v1=`,
    `t=17,v1=${mac},v1=nothex`, `t=17,t=18,v1=${mac}`, `t=17;v1=${mac}`, mac
  ]) {
    t.equal(parseSignature(header), null, JSON.stringify(header))
  }
})
