import { readFileSync } from 'node:fs'
import t from 'tap'
import { matchesEventFilter, parseEventFilter, validate, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../src/index.js'

t.test('a filter entry is an event type, a family wildcard or *', async (t) => {
  const wants = (entries: string[]): WebhookEventType[] => WEBHOOK_EVENT_TYPES.filter((type) => matchesEventFilter(parseEventFilter(entries), type))
  t.same(wants(['*']), WEBHOOK_EVENT_TYPES)
  t.same(wants(['message.*']), ['message.created', 'message.edited', 'message.deleted'])
  t.same(wants(['member.*', 'room.created']), ['room.created', 'member.added', 'member.removed', 'member.role_changed'])
  t.same(wants(['room.*']), ['room.created'])
  t.same(wants(['message.deleted']), ['message.deleted'])
  t.same(wants(['member.removed', 'member.removed']), ['member.removed'])
  t.same(parseEventFilter(['message.*', '*', 'message.*']), ['message.*', '*'], 'deduplicated, in order')
  t.equal(matchesEventFilter(['member.*'], 'message.created'), false)
})

t.test('no entry, or an entry that is none of these, is refused with a message naming it', async (t) => {
  t.throws(() => parseEventFilter([]), new TypeError('a webhook event filter needs at least one entry (* for every event)'))
  for (const entry of ['', 'message', 'message.', 'message.**', 'messages.*', 'Message.created', 'message.created ', 'user.*', '*.created', 'member.role', '.*', '**', 'message.created,room.created']) {
    t.throws(() => parseEventFilter(['message.created', entry]), { name: 'TypeError', message: `unknown webhook event filter entry ${JSON.stringify(entry)}: use an event type (` }, JSON.stringify(entry))
  }
  t.throws(() => parseEventFilter(['typo.created']), {
    message: 'unknown webhook event filter entry "typo.created": use an event type (message.created, message.edited, message.deleted, ' +
      'room.created, member.added, member.removed, member.role_changed), a wildcard (message.*, room.*, member.*) or *'
  })
})

/** The examples of docs/webhooks.md: what host-product developers copy, so they must be real events. */
const documented = [...readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)]
  .map((match) => JSON.parse(match[1]!) as Record<string, unknown>)
const examples = documented.filter((value) => 'type' in value && 'data' in value) as Array<Record<string, unknown> & { data: Record<string, unknown> }>

t.test('docs/webhooks.md has one example of every event type, each a valid event', async (t) => {
  t.same(examples.map((event) => event.type), WEBHOOK_EVENT_TYPES)
  for (const event of examples) t.ok(validate.webhookEvent(event), String(event.type))
})

t.test('an event broken in any way is no event', async (t) => {
  const [created, edited, deleted, room, added, removed, role] = examples
  const cases: Array<[string, unknown]> = [
    ['a field too many', { ...created, extra: 1 }],
    ['no id', { ...deleted, id: undefined }],
    ['an id that is no UUID', { ...deleted, id: 'evt-1' }],
    ['a time that is no ISO time', { ...deleted, time: '2026-12-05 12:00' }],
    ['a time as a number', { ...deleted, time: 1796472000123 }],
    ['an unknown type', { ...deleted, type: 'message.pinned' }],
    ['the data of another type', { ...deleted, type: 'message.edited' }],
    ['no data', { ...deleted, data: undefined }],
    ['data with a field too many', { ...deleted, data: { ...deleted!.data, text: 'kept after all' } }],
    ['a message that breaks ChatMessage', { ...created, data: { message: { ...(created!.data.message as object), ts: '1796472000123' } } }],
    ['editedAt as an ISO time', { ...edited, data: { ...edited!.data, editedAt: '2026-12-05T12:03:10.456Z' } }],
    ['editedBy as a user id', { ...edited, data: { ...edited!.data, editedBy: 'u-17' } }],
    ['a room that is no Room', { ...room, data: { room: 'p-project-42' } }],
    ['a roster entry without its role', { ...added, data: { ...added!.data, member: { ...(added!.data.member as object), role: undefined } } }],
    ['a removal archived (rooms archive, members do not)', { ...removed, data: { ...removed!.data, reason: 'archived' } }],
    ['a role that is none', { ...role, data: { ...role!.data, role: 'admin' } }],
    ['no previous role', { ...role, data: { ...role!.data, previous: undefined } }],
    ['a room name that is no room name', { ...role, data: { ...role!.data, room: 'Project 42' } }],
    ['an array of events', [deleted]],
    ['null', null]
  ]
  for (const [what, value] of cases) t.notOk(validate.webhookEvent(JSON.parse(JSON.stringify(value)) as unknown), what)
})

t.test('the before-send answers documented are answers', async (t) => {
  const answers = documented.filter((value) => 'action' in value)
  t.same(answers.map((answer) => answer.action), ['allow', 'reject', 'rewrite'])
  for (const answer of answers) t.ok(validate.beforeSendAnswer(answer), String(answer.action))
})
