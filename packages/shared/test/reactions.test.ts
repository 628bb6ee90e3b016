import t from 'tap'
import { isReaction, LIMITS, react, type Reaction } from '../src/index.js'

const ada = { id: 'ada', name: 'Ada' }
const bob = { id: 'bob', name: 'Bob' }
const EMOJI = ['👍', '❤️', '😂', '🎉', '🙏', '👀', '🔥', '✅', '🚀', '💯', '🤔', '😢', '👏🏽', '🇫🇷', '1️⃣', '👨‍👩‍👧', '🍕', '☕', '🌈', '⭐', '🐛', '🦀']

t.test('isReaction: one RGI emoji, whatever its shape, and nothing else', async (t) => {
  for (const emoji of ['👍', '👍🏽', '❤️', '🇫🇷', '1️⃣', '#️⃣', '👨‍👩‍👧‍👦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏿‍🤝‍🧑🏻']) t.ok(isReaction(emoji), emoji)
  for (const value of ['', 'a', '1', '#', ':+1:', '👍👍', ' 👍', '👍 ', '👍\n', '\u200d', '\ufe0f', '👍\u0000', '<img>', '🇫', '👍'.repeat(20)]) {
    t.notOk(isReaction(value), JSON.stringify(value))
  }
  t.ok(EMOJI.every(isReaction), 'the test list is all emoji')
  t.equal(new Set(EMOJI).size, EMOJI.length)
})

t.test('isReaction: never longer than LIMITS.reactionChars UTF-16 units', async (t) => {
  // The longest RGI sequences (a tagged flag: 14 units; a couple with two skin tones: 12) fit.
  t.ok('🏴󠁧󠁢󠁳󠁣󠁴󠁿'.length <= LIMITS.reactionChars)
  t.notOk(isReaction('👍'.repeat(LIMITS.reactionChars)))
})

t.test('react adds, keeps the order emoji were first added in, and removes', async (t) => {
  let reactions: Reaction[] = []
  const step = (user: typeof ada, emoji: string, remove = false): void => {
    const next = react(reactions, user, emoji, remove)
    if (next === 'too_many_reactions') throw new Error('refused')
    reactions = next
  }
  step(ada, '👍')
  step(bob, '🎉')
  step(bob, '👍')
  t.same(reactions, [{ emoji: '👍', users: [ada, bob] }, { emoji: '🎉', users: [bob] }])
  step(ada, '👍', true)
  t.same(reactions, [{ emoji: '👍', users: [bob] }, { emoji: '🎉', users: [bob] }])
  step(bob, '👍', true)
  t.same(reactions, [{ emoji: '🎉', users: [bob] }], 'an emoji nobody has any more is gone')
  step(ada, '👍')
  t.same(reactions.map((r) => r.emoji), ['🎉', '👍'], 'added again: last')
})

t.test('react: a repeat, or removing what one has not added, returns the same list; the input is never changed', async (t) => {
  const reactions: Reaction[] = [{ emoji: '👍', users: [ada] }]
  const copy = structuredClone(reactions)
  t.equal(react(reactions, ada, '👍', false), reactions, 'a repeated add')
  t.equal(react(reactions, { id: 'ada', name: 'Ada Renamed' }, '👍', false), reactions, 'the same user under another name')
  t.equal(react(reactions, bob, '👍', true), reactions, 'removing one not made')
  t.equal(react(reactions, ada, '🎉', true), reactions, 'removing an emoji not there')
  const added = react(reactions, bob, '👍', false)
  t.not(added, reactions)
  t.same(reactions, copy, 'the input is untouched')
  t.same(react([], { id: 'cy', name: 'Cy', extra: 'x' } as unknown as typeof ada, '👍', false), [{ emoji: '👍', users: [{ id: 'cy', name: 'Cy' }] }], 'only id and name are kept')
})

t.test(`react: at most ${LIMITS.reactionsPerUser} emoji of one user and ${LIMITS.reactionsPerMessage} on a message`, async (t) => {
  let mine: Reaction[] = []
  for (const emoji of EMOJI.slice(0, LIMITS.reactionsPerUser)) mine = react(mine, ada, emoji, false) as Reaction[]
  t.equal(react(mine, ada, EMOJI[LIMITS.reactionsPerUser]!, false), 'too_many_reactions')
  t.equal(react(mine, ada, EMOJI[0]!, false), mine, 'a repeat within the bound is no refusal')
  t.type(react(mine, bob, EMOJI[LIMITS.reactionsPerUser]!, false), Array, 'another user still may')
  t.equal(react(mine, ada, EMOJI[0]!, true).length, LIMITS.reactionsPerUser - 1, 'removing always works')

  let full: Reaction[] = []
  for (let i = 0; i < LIMITS.reactionsPerMessage; i++) {
    full = react(full, { id: `u${Math.floor(i / LIMITS.reactionsPerUser)}`, name: 'U' }, EMOJI[i]!, false) as Reaction[]
  }
  t.equal(full.length, LIMITS.reactionsPerMessage)
  t.equal(react(full, bob, EMOJI[LIMITS.reactionsPerMessage]!, false), 'too_many_reactions', 'a new emoji past the bound')
  t.equal((react(full, bob, EMOJI[3]!, false) as Reaction[])[3]!.users.length, 2, 'one already there still takes more users')
})
