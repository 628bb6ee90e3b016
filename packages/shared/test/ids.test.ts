import t from 'tap'
import { compareIds, isMessageId, newerId } from '../src/index.js'

t.test('orders by time, then sequence, numerically', async (t) => {
  const ids = ['10-2', '9-0', '10-10', '1700000000000-0', '10-0', '9999999999999999-9999999999999999']
  t.same([...ids].sort(compareIds), ['9-0', '10-0', '10-2', '10-10', '1700000000000-0', '9999999999999999-9999999999999999'])
  t.equal(compareIds('5-1', '5-1'), 0)
  t.equal(compareIds('9999999999999999-1', '9999999999999998-2'), 1, 'no precision loss at 16 digits')
})

t.test('log ids order by ms then seq, at any length', async (t) => {
  t.equal(compareIds('1-0', '1-0'), 0)
  t.ok(compareIds('1-1', '1-0') > 0)
  t.ok(compareIds('2-0', '1-9') > 0)
  t.ok(compareIds('10-0', '9-99') > 0)
  t.ok(compareIds('1700000000000-10', '1700000000000-9') > 0)
  t.ok(compareIds('99999999999999999-0', '99999999999999998-5') > 0, 'beyond 2^53')
})

t.test('ids the server did not make: no sequence is 0, leading zeros do not count', async (t) => {
  t.ok(compareIds('5', '4-9') > 0)
  t.ok(compareIds('5', '5-1') < 0)
  t.equal(compareIds('5', '5-0'), 0)
  t.equal(compareIds('01-0', '1-0'), 0)
  t.equal(compareIds('1-007', '1-7'), 0)
  t.ok(compareIds('010-0', '9-0') > 0)
  t.ok(compareIds('0-0', '00-1') < 0)
})

t.test('newerId: the newer of two, a missing one counts as older', async (t) => {
  t.equal(newerId(undefined, '1-0'), '1-0')
  t.equal(newerId('2-0', '1-0'), '2-0')
  t.equal(newerId('2-0', '2-1'), '2-1')
  t.equal(newerId(null, '1-0'), '1-0')
  t.equal(newerId('2-0', null), '2-0')
  t.equal(newerId('2-0', '10-0'), '10-0')
  t.equal(newerId(null, null), null)
})

t.test('message ids are <ms>-<seq>, up to 16 digits each', async (t) => {
  for (const good of ['0-0', '1700000000000-12', '9999999999999999-9999999999999999']) t.ok(isMessageId(good), good)
  for (const bad of ['', '5', '-1', '1-', '1-2-3', 'a-1', '1 -2', '99999999999999999-0', 7, null]) t.notOk(isMessageId(bad), String(bad))
})
