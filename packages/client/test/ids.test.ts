import t from 'tap'
import { compareIds, newerId } from '../src/ids.js'

t.test('orders by time, then sequence, numerically', async (t) => {
  const ids = ['10-2', '9-0', '10-10', '1700000000000-0', '10-0', '9999999999999999-9999999999999999']
  t.same([...ids].sort(compareIds), ['9-0', '10-0', '10-2', '10-10', '1700000000000-0', '9999999999999999-9999999999999999'])
  t.equal(compareIds('5-1', '5-1'), 0)
  t.equal(compareIds('9999999999999999-1', '9999999999999998-2'), 1, 'no precision loss at 16 digits')
})

t.test('newerId', async (t) => {
  t.equal(newerId(undefined, '1-0'), '1-0')
  t.equal(newerId('2-0', '1-0'), '2-0')
  t.equal(newerId('2-0', '2-1'), '2-1')
})
