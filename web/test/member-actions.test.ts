import t from 'tap'
import { ROLES, ROOM_KINDS } from '@webchat/shared'
// The chat service's own rules: the app's copy must agree with them on every case.
import { allowed as serverAllows } from '../../services/chat/src/membership/policy.js'
import { allowed, canUnban, memberMenu, type Action } from '../src/model/member-actions.js'

const ACTIONS: Action[] = ['invite', 'remove', 'mute', 'ban', 'promote', 'demote', 'hand_over', 'update']

t.test('the app offers exactly what the chat service allows, in every kind of room, role and target', async (t) => {
  let cases = 0
  for (const kind of ROOM_KINDS) {
    for (const action of ACTIONS) {
      for (const actor of ROLES) {
        const targets = [undefined, ...ROLES.flatMap((role) => [{ role, self: false }, { role, self: true }])]
        for (const target of targets) {
          cases++
          if (allowed(kind, action, actor, target) !== serverAllows(kind, action, actor, target)) {
            t.fail(`${kind} ${action} by ${actor} on ${JSON.stringify(target)}`)
          }
        }
      }
    }
  }
  t.equal(cases, 3 * 8 * 3 * 7, 'every case compared')
})

t.test('a member\'s menu', async (t) => {
  const member = { role: 'member' as const, self: false, muted: false }
  t.same(memberMenu('private', 'owner', member), ['mute', 'promote', 'remove', 'ban', 'hand_over'])
  t.same(memberMenu('private', 'owner', { ...member, muted: true }), ['unmute', 'promote', 'remove', 'ban', 'hand_over'], 'a muted member: unmute instead')
  t.same(memberMenu('private', 'owner', { ...member, role: 'moderator' }), ['mute', 'demote', 'remove', 'ban', 'hand_over'])
  t.same(memberMenu('private', 'moderator', member), ['mute', 'remove', 'ban'], 'a moderator manages members, no roles')
  t.same(memberMenu('private', 'moderator', { ...member, role: 'moderator' }), [], 'nor other moderators')
  t.same(memberMenu('private', 'moderator', { ...member, role: 'owner' }), [])
  t.same(memberMenu('private', 'member', member), [], 'a member manages nobody')
  t.same(memberMenu('private', 'owner', { ...member, role: 'owner', self: true }), [], 'nobody acts on themselves')
  t.same(memberMenu('direct', 'owner', member), [], 'a direct room has nothing to manage')
  t.same(memberMenu('public', 'moderator', member), ['mute', 'remove', 'ban'])
  t.ok(canUnban('public', 'moderator'))
  t.notOk(canUnban('public', 'member'))
  t.notOk(canUnban('direct', 'owner'))
})
