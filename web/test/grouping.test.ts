import t from 'tap'
import type { ChatMessage } from '@webchat/shared'
import { buildRows, continues, GROUP_MS } from '../src/model/grouping.js'

const at = (h: number, m: number, day = 15): number => new Date(2030, 5, day, h, m).getTime()
const msg = (id: string, user: string, ts: number): ChatMessage => ({ room: 'r', id, user: { id: user, name: user.toUpperCase() }, text: id, ts })

t.test('groups one author within five minutes on one day', async (t) => {
  const a = msg('1-0', 'ana', at(10, 0))
  t.ok(continues(a, msg('2-0', 'ana', at(10, 4))))
  t.notOk(continues(a, msg('2-0', 'ana', a.ts + GROUP_MS)))
  t.notOk(continues(a, msg('2-0', 'ben', at(10, 1))))
  t.notOk(continues(undefined, a))
  t.notOk(continues(msg('1-0', 'ana', at(23, 58, 14)), msg('2-0', 'ana', at(0, 1))), 'not across midnight')
})

t.test('rows with day separators', async (t) => {
  const now = at(12, 0)
  const rows = buildRows([
    msg('1-0', 'ana', at(22, 0, 14)),
    msg('2-0', 'ana', at(9, 0)),
    msg('3-0', 'ana', at(9, 1)),
    msg('4-0', 'ben', at(9, 2))
  ], now)
  t.same(rows.map((r) => r.kind === 'day' ? `day:${r.label}` : `${r.message.id}${r.continued ? '+' : ''}`),
    ['day:Yesterday', '1-0', 'day:Today', '2-0', '3-0+', '4-0'])
})
