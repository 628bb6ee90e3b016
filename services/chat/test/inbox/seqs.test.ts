import t from 'tap'
import { lastOf } from '../../src/inbox/entry.js'
import { formatMarker, markerId, parseMarker, readSeqOf } from '../../src/inbox/marker.js'
import { addSeq, countAbove, MAX_MENTION_SEQS, parseSeqs } from '../../src/inbox/mention-seqs.js'

t.test('read markers: the stored forms, and what they count for', async (t) => {
  t.same(parseMarker('1-0 7 e1'), { id: '1-0', seq: 7, epoch: 'e1' })
  t.same(parseMarker('5-2'), { id: '5-2', seq: 0, epoch: null }, 'a marker from before numbers: number 0')
  t.equal(parseMarker('garbage'), null, 'an unreadable value is no marker')
  t.equal(parseMarker('1-0 x e1')?.seq, 0, 'a bad number counts as 0')
  t.equal(formatMarker({ id: '1-0', seq: 3, epoch: 'e' }), '1-0 3 e')
  t.equal(markerId('9-1 3 e'), '9-1')
  t.equal(markerId(null), null)
  t.equal(readSeqOf(parseMarker('1-0 7 e1'), 'e1'), 7)
  t.equal(readSeqOf(parseMarker('1-0 7 e1'), 'e2'), 0, 'another epoch: numbering started over')
  t.equal(readSeqOf(parseMarker('1-0'), 'e1'), 0)
})

t.test('mention numbers: bounded, per epoch', async (t) => {
  let field = addSeq(null, 'e', 3)
  field = addSeq(field, 'e', 1)
  field = addSeq(field, 'e', 3)
  t.same(field, { epoch: 'e', seqs: [1, 3] }, 'sorted, no repeats')
  t.equal(countAbove(field, 'e', 1), 1)
  t.equal(countAbove(field, 'other', 0), 0, 'numbers of a lost epoch count for nothing')
  t.same(addSeq(field, 'new', 1), { epoch: 'new', seqs: [1] }, 'a new epoch starts over')
  for (let n = 10; n < 300; n++) field = addSeq(field, 'e', n)
  t.equal(field.seqs.length, MAX_MENTION_SEQS, 'the newest 100 kept')
  t.equal(field.seqs[0], 300 - MAX_MENTION_SEQS)
  t.same(parseSeqs('e 1,2,x,-3'), { epoch: 'e', seqs: [1, 2] }, 'what is not a number is dropped')
  t.equal(parseSeqs('nospace'), null)
})

t.test('the last message: changes and foreign entries are passed over', async (t) => {
  const message = { id: '1-0', data: '{"ts":5,"seq":1,"room":"r","user":{"id":"bob","name":"Bob"},"text":"  hello\\n  there "}' }
  const edit = { id: '2-0', data: '{"kind":"edit","ts":6,"room":"r","user":{"id":"bob","name":"Bob"},"target":"1-0"}' }
  t.same(lastOf([message, edit, { id: '3-0', data: 'not json' }]), { id: '1-0', user: { id: 'bob', name: 'Bob' }, preview: 'hello there', ts: 5 })
  t.equal(lastOf([edit]), null, 'only changes: no last message among them')
})
