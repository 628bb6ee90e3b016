import t from 'tap'
import { createHistoryBudgets } from '../../../src/routes/api/history-budgets.js'

t.test('one budget per user, at most maxUsers kept, the least recently used forgotten first', async (t) => {
  const budgets = createHistoryBudgets(2)
  const ana = budgets.of('ana')
  t.equal(budgets.of('ana'), ana, 'the same budget for the same user')
  const bo = budgets.of('bo')
  budgets.of('ana')
  budgets.of('cy')
  t.equal(budgets.size, 2)
  t.equal(budgets.of('ana'), ana, 'used recently: kept')
  t.not(budgets.of('bo'), bo, 'least recently used: forgotten, a fresh budget now')
})
