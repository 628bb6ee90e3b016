import t from 'tap'
import { type Role, ROLES as ROLE_LIST, type RoomAction, type RoomKind, roleAction, roleMay } from '../src/index.js'

const ROLES: readonly Role[] = ROLE_LIST

t.test('who may act on whom, as a table', async (t) => {
  // [action, actor, target role or null] → allowed, in private and public rooms alike.
  const table: Array<[RoomAction, Role, Role | null, boolean]> = [
    ['invite', 'owner', null, true], ['invite', 'moderator', null, true], ['invite', 'member', null, false],
    ['update', 'owner', null, true], ['update', 'moderator', null, true], ['update', 'member', null, false],
    ...(['remove', 'mute', 'ban'] as RoomAction[]).flatMap((action): Array<[RoomAction, Role, Role | null, boolean]> => [
      [action, 'owner', 'moderator', true], [action, 'owner', 'member', true],
      [action, 'moderator', 'member', true], [action, 'moderator', 'moderator', false], [action, 'moderator', 'owner', false],
      [action, 'member', 'member', false]
    ]),
    ['promote', 'owner', 'member', true], ['promote', 'moderator', 'member', false], ['promote', 'owner', 'moderator', false],
    ['demote', 'owner', 'moderator', true], ['demote', 'moderator', 'moderator', false],
    ['hand_over', 'owner', 'member', true], ['hand_over', 'owner', 'moderator', true], ['hand_over', 'moderator', 'member', false]
  ]
  for (const kind of ['private', 'public'] as RoomKind[]) {
    for (const [action, actor, target, expected] of table) {
      t.equal(roleMay(kind, action, actor, target === null ? undefined : { role: target, self: false }), expected, `${kind}: ${actor} ${action} ${target ?? ''}`)
    }
  }
  for (const role of ROLES) {
    t.notOk(roleMay('private', 'remove', 'owner', { role, self: true }), 'nobody acts on themselves')
    for (const action of ['invite', 'remove', 'mute', 'ban', 'promote', 'update'] as RoomAction[]) {
      t.notOk(roleMay('direct', action, role, { role: 'member', self: false }), `direct rooms: no ${action}`)
    }
  }
})

t.test('set_role maps to promote, demote or hand over', async (t) => {
  t.equal(roleAction('member', 'moderator'), 'promote')
  t.equal(roleAction('moderator', 'member'), 'demote')
  t.equal(roleAction('member', 'owner'), 'hand_over')
  t.equal(roleAction('moderator', 'owner'), 'hand_over')
  t.equal(roleAction('member', 'member'), null)
  t.equal(roleAction('owner', 'member'), null, 'the owner is demoted only by handing over')
})
