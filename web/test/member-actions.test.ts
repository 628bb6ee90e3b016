import t from 'tap'
import { canUnban, memberMenu } from '../src/model/member-actions.js'

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
