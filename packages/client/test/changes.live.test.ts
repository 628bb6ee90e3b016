import t from 'tap'
import { connect, next, signIn } from './helpers/live.js'
import { startStack } from './helpers/stack.js'

/** Edits, deletions, reactions and replies through the real services: two users on two chat instances. */
t.test('reply, edit, react and delete reach the other user live, refusals are typed, a join shows the current state, a resume brings the missed changes', async (t) => {
  const stack = await startStack(t, { chats: 2 })
  const ana = connect(t, stack, await signIn(stack, 'ana@example.com', 'Ana'), 0)
  const ben = connect(t, stack, await signIn(stack, 'ben@example.com', 'Ben'), 1)
  await ana.join('lobby')
  await ben.join('lobby')

  const asked = next(ben, 'message', (m) => m.text === 'lunch?')
  const first = await ana.send('lobby', 'lunch?')
  t.equal((await asked).id, first)
  const answered = next(ana, 'message', (m) => m.text === 'yes')
  const reply = await ben.send('lobby', 'yes', { replyTo: first })
  t.match((await answered), { id: reply, replyTo: { id: first, user: { name: 'Ana' }, preview: 'lunch?' } }, 'the reply quotes what it answers')

  const edited = next(ben, 'change', (c) => c.kind === 'edit')
  const editId = await ana.edit('lobby', first, 'lunch at 1?')
  t.match(await edited, { id: editId, target: first, text: 'lunch at 1?', user: { name: 'Ana' } })
  t.ok((await edited).editedAt !== undefined, 'with the time of the edit')
  await t.rejects(ben.edit('lobby', first, 'mine now'), { name: 'WebchatError', code: 'forbidden' }, 'someone else\'s message')
  await t.rejects(ben.react('lobby', '1-0', '👍'), { code: 'not_found' }, 'no such message')

  const reacted = next(ana, 'change', (c) => c.kind === 'reaction')
  await ben.react('lobby', first, '🎉')
  t.match(await reacted, { target: first, emoji: '🎉', reactions: [{ emoji: '🎉', users: [{ name: 'Ben' }] }] })

  // Ben is away while Ana changes things: joining again shows the message as it is now.
  ben.leave('lobby')
  await ana.edit('lobby', first, 'lunch at 2?')
  await ana.react('lobby', first, '👍')
  const rejoined = await ben.join('lobby')
  t.match(rejoined.messages.find((m) => m.id === first), { text: 'lunch at 2?', reactions: [{ emoji: '🎉' }, { emoji: '👍' }] }, 'the current state')

  // Ana joined the public room first, so she moderates it: she may delete Ben's message, he not hers.
  await t.rejects(ben.delete('lobby', first), { code: 'forbidden' })
  const gone = next(ben, 'change', (c) => c.kind === 'delete')
  await ana.delete('lobby', reply)
  t.match(await gone, { target: reply, user: { name: 'Ana' } })
  const page = await ben.history('lobby', '99999999999999-0')
  t.notOk(page.messages.some((m) => m.text === 'yes'), 'its text is gone from history')

  // Ben's instance restarts while Ana changes her message and he reacts offline: his resume
  // (since the newest id he saw) brings her changes after its joined, in order, once each, and
  // his queued reaction goes with its clientMsgId once he is back.
  const events: string[] = []
  ben.on('joined', (j) => events.push(`joined ${j.messages.length}`))
  ben.on('change', (c) => events.push(`${c.kind} ${c.user.name}${c.kind === 'edit' ? ` ${c.text ?? ''}` : ''}`))
  await stack.chats[1]!.stop()
  await next(ben, 'state', (s) => s.state === 'reconnecting')
  await ana.edit('lobby', first, 'lunch at 3?')
  await ana.react('lobby', first, '🎉')
  const offline = ben.react('lobby', first, '👀', { clientMsgId: 'ben-offline-eyes' })
  const rejoined2 = next(ben, 'joined', (j) => j.room === 'lobby', 20_000)
  await stack.chats[1]!.start()
  t.equal((await rejoined2).recovered, true)
  const eyes = await offline
  const mine = next(ana, 'change', (c) => c.id === eyes)
  await mine
  t.same(events.slice(0, 3), ['joined 0', 'edit Ana lunch at 3?', 'reaction Ana'], 'the missed changes right after the joined, in order')
  t.equal(events.filter((e) => e === 'reaction Ben').length, 1, 'his own reaction once')
})
