import t from 'tap'
import { bodyOf, type SmtpSink } from '@webchat/testkit'
import { connect, next, signIn } from './helpers/live.js'
import { startStack } from './helpers/stack.js'

/**
 * Inviting by email address against the real services (one auth instance, two chat instances on
 * one real Redis, a real SMTP sink): the invitee never signed in when invited, and finds the room
 * at their first sign-in.
 */

/** The invitation mail to `address`, waiting for it. */
async function invitationMail (sink: SmtpSink, address: string): Promise<string> {
  for (const until = Date.now() + 5000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 20))) {
    const mail = sink.mails.find((m) => m.to.includes(address) && m.raw.includes('An invitation to chat on webchat'))
    if (mail !== undefined) return bodyOf(mail)
  }
  throw new Error(`no invitation mailed to ${address}`)
}

/** The invitee id a ticket names (its payload is readable; chat checks its signature). */
const inviteeOf = (ticket: string): string => (JSON.parse(Buffer.from(ticket.split('.')[1]!, 'base64url').toString()) as { invitee: string }).invitee

t.test('invited by email into a private room, the new user finds it at their first sign-in', async (t) => {
  const stack = await startStack(t, { chats: 2, authEnv: { APP_URL: 'https://chat.example.com' } })
  const anaAuth = await signIn(stack, 'ana@example.com', 'Ana')
  const ana = connect(t, stack, anaAuth, 0)
  const room = await ana.createRoom({ title: 'Launch' })
  await ana.join(room.id)

  const { ticket, expiresAt } = await anaAuth.invitation('bea@example.com')
  t.ok(Date.parse(expiresAt) - Date.now() > 9 * 60_000, 'valid about 10 minutes')
  const added = next(ana, 'member', (m) => m.event === 'added')
  await ana.invite(room.id, { ticket })
  t.match((await added).user, { id: inviteeOf(ticket), name: 'bea' }, 'listed by the name from the address')
  const mail = await invitationMail(stack.sink, 'bea@example.com')
  t.match(mail, 'The webchat user signed in as ana@example.com wants to chat with you.')
  t.notMatch(mail, /\bAna\b/, 'the inviter by their verified address only, never their display name')
  t.match(mail, 'open https://chat.example.com and sign in')
  t.notMatch(mail, 'Launch', 'no room title in the mail')

  const beaAuth = await signIn(stack, 'bea@example.com', 'Bea')
  const bea = connect(t, stack, beaAuth, 1)
  const list = next(bea, 'rooms')
  const ready = await next(bea, 'ready')
  t.equal(ready.user.id, inviteeOf(ticket), 'the first sign-in is the user the invitation made')
  t.match((await list).rooms, [{ room: { id: room.id, kind: 'private', title: 'Launch' }, role: 'member' }], 'her list holds the room')
  t.equal((await bea.join(room.id)).room, room.id)
  const heard = next(bea, 'message', (m) => m.text === 'welcome, Bea')
  await ana.send(room.id, 'welcome, Bea')
  t.equal((await heard).user.name, 'Ana')
})

t.test('a direct conversation by email, waiting for the first sign-in', async (t) => {
  const stack = await startStack(t, { chats: 2 })
  const anaAuth = await signIn(stack, 'ana@example.com', 'Ana')
  const ana = connect(t, stack, anaAuth, 0)
  const { ticket } = await anaAuth.invitation('cal@example.com')
  const room = await ana.direct({ ticket })
  t.match(room, { kind: 'direct' })
  t.match((await ana.listRooms()).find((e) => e.room.id === room.id), { peer: { id: inviteeOf(ticket), name: 'cal' } })
  t.same(await ana.direct({ ticket }), room, 'the same room again')
  await invitationMail(stack.sink, 'cal@example.com')

  const calAuth = await signIn(stack, 'cal@example.com', 'Cal')
  const cal = connect(t, stack, calAuth, 1)
  const list = next(cal, 'rooms')
  await next(cal, 'ready')
  t.match((await list).rooms, [{ room: { id: room.id, kind: 'direct' }, peer: { id: ana.user!.id, name: 'Ana' } }])
  const calTicket = await calAuth.invitation('ana@example.com')
  t.same(await cal.direct({ ticket: calTicket.ticket }), room, 'started from the other side by email: the same room')
  await t.rejects(cal.invite(room.id, { ticket }), { name: 'WebchatError', code: 'invalid_ticket' }, 'Ana\'s ticket is no use to Cal')
})
