import { ReplyBudget } from '../../connection/reply-budget.js'

/** Users whose budgets an instance keeps; past it the least recently used is forgotten. */
const MAX_USERS = 10_000

export interface HistoryBudgets {
  /** The budget of `userId`'s HTTP history reads on this instance. */
  of (userId: string): ReplyBudget
  readonly size: number
}

/**
 * HTTP history reads are paid from a byte budget per user, as a socket's `history` and `joined`
 * are per connection: a client cannot read a room's log faster over HTTP than over its socket.
 * Kept per user (the token's `sub`), as a request has no connection; a user forgotten past
 * MAX_USERS starts with a full budget again, which only someone holding thousands of other
 * users' tokens could use.
 */
export function createHistoryBudgets (maxUsers = MAX_USERS): HistoryBudgets {
  const budgets = new Map<string, ReplyBudget>()
  return {
    of (userId) {
      let budget = budgets.get(userId)
      if (budget !== undefined) {
        // Most recently used last, so the first key is the one to forget.
        budgets.delete(userId)
      } else {
        budget = new ReplyBudget()
        if (budgets.size >= maxUsers) budgets.delete(budgets.keys().next().value!)
      }
      budgets.set(userId, budget)
      return budget
    },
    get size () { return budgets.size }
  }
}
