import t from 'tap'
import type { InboxEntry } from '@webchat/shared'
import { singleRedisOnly } from '../helpers/cluster.js'
import { appendMessage, invited, loseLog } from '../helpers/inbox.js'

// Review of issue 17: a watching device's live counts after the room's log was lost (a new epoch,
// numbering from 1 again) while the instance's pub/sub stayed up (no refresh follows).

const BOB = { id: 'bob', name: 'Bob' }

t.test('redis: a watching device keeps counting after the log was lost and numbering started over', { skip: singleRedisOnly('deletes the room log\'s keys') }, async (t) => {
  const { cluster, ada, room } = await invited(t, 'redis', 1)
  const app = cluster.configs[0]!
  await new Promise((resolve) => setTimeout(resolve, 200))
  for (const text of ['one', 'two', 'three']) await appendMessage(cluster.engine, app, room, BOB, text)
  await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).seq === 3, 1000, 'three counted')
  t.ok(await loseLog(cluster, room) > 0, 'the log is lost')
  const fresh = await appendMessage(cluster.engine, app, room, BOB, 'after the loss')
  t.equal(fresh.seq, 1, 'numbering started over')
  const told = await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).last?.preview === 'after the loss', 1000, 'told')
    .catch(() => null)
  t.ok(told !== null, 'the new message reaches the watching device\'s counts')
  t.match(told?.inbox, { seq: 1, readSeq: 0, unread: 1, mentions: 0 }, 'counted from the new numbering')
})
