import t from 'tap'
import { connect, UpgradeRefused, type Frame, type TestClient } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'

let refs = 0
/** Sends a request about rooms and waits for its answer: `done` (or a list) or `error` with its ref. */
async function ask (client: TestClient, frame: Record<string, unknown>): Promise<Frame> {
  const ref = `r${++refs}`
  client.send({ ...frame, ref })
  return await client.waitFor((f) => f.ref === ref && f.type !== 'member', 5000, `answer to ${String(frame.type)}`)
}

const rosterOf = async (client: TestClient, room: string): Promise<Array<[string, string]>> =>
  ((await ask(client, { type: 'list_members', room })).members as Array<{ user: { id: string, name: string } }>).map((m): [string, string] => [m.user.id, m.user.name]).sort()

for (const kind of ENGINES) {
  t.test(`${kind}: invite and direct by invitation ticket`, async (t) => {
    const cluster = await startCluster(t, kind)
    const last = cluster.apps.length - 1
    const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada' })
    const bob = await cluster.connect(last, { sub: 'bob', name: 'Robert' })
    const made = await ask(ada, { type: 'create', title: 'Project X' })
    const room = (made.room as { id: string }).id
    const second = ((await ask(ada, { type: 'create', title: 'Project Y' })).room as { id: string }).id
    const ticket = await cluster.auth.mintTicket({ sub: 'ada', invitee: 'bob', name: 'bob' })

    t.test('invite: the invitee is added with the ticket\'s name, live everywhere, as by id', async (t) => {
      await cluster.join(ada, room)
      const added = ada.waitFor((f) => f.type === 'member' && f.event === 'added' && f.room === room)
      t.equal((await ask(ada, { type: 'invite', room, ticket })).type, 'done')
      t.match(await bob.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === room), { entry: { room: { id: room, title: 'Project X' }, role: 'member' } }, 'the invitee\'s list, on the other instance')
      t.match(await added, { user: { id: 'bob', name: 'bob' }, role: 'member', by: 'ada' })
      t.same(await rosterOf(ada, room), [['ada', 'Ada'], ['bob', 'bob']])
      t.equal((await ask(ada, { type: 'invite', room: second, ticket })).type, 'done', 'the same ticket, again within its 10 minutes')
      const ids = ((await ask(bob, { type: 'list_rooms' })).rooms as Array<{ room: { id: string } }>).map((e) => e.room.id).sort()
      t.same(ids, [room, second].sort(), 'both rooms in the invitee\'s list')
      t.match(await cluster.join(bob, room), { type: 'joined', room }, 'and may join it')
    })

    t.test('direct: the room of the two, the peer named by the ticket', async (t) => {
      const cy = await cluster.connect(last, { sub: 'cy', name: 'Cyrus' })
      const toCy = await cluster.auth.mintTicket({ sub: 'ada', invitee: 'cy', name: 'cy' })
      const answer = await ask(ada, { type: 'direct', ticket: toCy })
      t.match(answer, { type: 'done', room: { kind: 'direct' } })
      const id = (answer.room as { id: string }).id
      t.match(await ada.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === id), { entry: { peer: { id: 'cy', name: 'cy' } } })
      t.match(await cy.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === id), { entry: { room: { kind: 'direct' }, peer: { id: 'ada', name: 'Ada' } } }, 'live to the invitee')
      t.match(await ask(cy, { type: 'direct', user: 'ada' }), { type: 'done', room: { id } }, 'the same room whoever starts it')
      t.match(await ask(ada, { type: 'direct', ticket: toCy }), { type: 'done', room: { id } }, 'and again by the ticket')
      const self = await cluster.auth.mintTicket({ sub: 'ada', invitee: 'ada', name: 'ada' })
      t.match(await ask(ada, { type: 'direct', ticket: self }), { code: 'bad_request' }, 'not with oneself')
    })

    t.test('refused: both or neither, another user\'s ticket, expired, forged, another issuer, a chat token', async (t) => {
      const before = await rosterOf(ada, second)
      const eve = await cluster.connect(0, { sub: 'eve', name: 'Eve' })
      const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ['both', { user: 'dan', ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan' }) }, 'bad_request', /exactly one/],
        ['neither', {}, 'bad_request', /exactly one/],
        ['given to another user', { ticket: await cluster.auth.mintTicket({ sub: 'eve', invitee: 'dan' }) }, 'invalid_ticket', /another user/],
        ['expired', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan', expiresIn: -60 }) }, 'invalid_ticket', /ticket expired/],
        ['forged', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan', forged: true }) }, 'invalid_ticket', /signature/],
        ['another issuer', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan', iss: 'someone-else' }) }, 'invalid_ticket', /claim iss/],
        ['a chat token as a ticket', { ticket: await cluster.auth.mint({ sub: 'ada', name: 'Ada' }) }, 'invalid_ticket', /claim typ/],
        ['the audience of chat tokens', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan', aud: 'chat' }) }, 'invalid_ticket', /claim aud/],
        ['no invitee', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan', omit: ['invitee'] }) }, 'invalid_ticket', /claim invitee/],
        ['a malformed invitee', { ticket: await cluster.auth.mintTicket({ sub: 'ada', invitee: 'dan/../x' }) }, 'invalid_ticket', /malformed/]
      ]
      for (const [what, who, code, message] of cases) {
        for (const frame of [{ type: 'invite', room: second, ...who }, { type: 'direct', ...who }]) {
          t.match(await ask(ada, frame), { type: 'error', code, message }, `${frame.type}: ${what}`)
        }
      }
      t.match(await ask(eve, { type: 'invite', room: second, ticket }), { code: 'invalid_ticket' }, 'ada\'s ticket is no use to eve')
      t.match(await ask(ada, { type: 'invite', room: second, user: 'bob', ticket: 'x' }), { type: 'error', code: 'bad_frame' }, 'a ticket that is no JWS at all is a malformed frame')
      t.same(await rosterOf(ada, second), before, 'nobody was added')
    })

    t.test('a ticket is no chat token: refused at the upgrade and in refresh', async (t) => {
      const asToken = await cluster.auth.mintTicket({ sub: 'ada', invitee: 'bob' })
      const refused = await connect(cluster.wsUrl(0), asToken).catch((err: unknown) => err)
      t.type(refused, UpgradeRefused)
      t.match(refused, { status: 401, body: { error: 'invalid_token', message: /claim typ/ } })
      ada.send({ type: 'refresh', token: asToken })
      t.match(await ada.waitFor((f) => f.type === 'error' && f.code === 'invalid_token'), { message: /claim typ/ }, 'nor as a refresh')
    })
  })
}
