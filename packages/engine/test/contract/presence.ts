import type { Test } from 'tap'
import type { PresenceEntry, PresenceSets } from '../../src/index.js'
import { sleep, type Setup } from './support.js'

/** What `addMany` answers for an item that is not past its expiry: new or not. */
const added = (isNew: boolean): { added: boolean, revived: boolean } => ({ added: isNew, revived: false })

const byMember = (entries: PresenceEntry[]): PresenceEntry[] => [...entries].sort((a, b) => a.member.localeCompare(b.member))

type Entered = Awaited<ReturnType<PresenceSets['enter']>>

/** A replica of `set` kept as the chat service keeps one: from entries, then from changes since the version known. */
interface Replica { apply: (result: Entered) => void, check: (what: string) => Promise<void>, readonly known: number }

function replicaOf (t: Test, presence: PresenceSets, set: string): Replica {
  const replica = new Map<string, string>()
  let known = 0
  return {
    get known () { return known },
    apply (result) {
      if (result.entries !== undefined) {
        replica.clear()
        for (const { member, value } of result.entries) replica.set(member, value)
      } else {
        for (const change of result.changes) {
          t.ok(change.version > known, 'only changes after the known version')
          if (change.value === null) replica.delete(change.member)
          else replica.set(change.member, change.value)
        }
      }
      known = result.version
    },
    async check (what) {
      const view = await presence.view(set)
      t.same(byMember([...replica].map(([member, value]) => ({ member, value }))), byMember(view.entries), what)
    }
  }
}

export function presenceContract (t: Test, setup: Setup): void {
  t.test('presence: add, refresh, remove, members', async (t) => {
    const { presence } = await setup(t)
    t.same(await presence.members('room'), [])
    t.equal(await presence.add('room', 'ana', '{"name":"Ana"}', 10_000), true, 'new member')
    t.equal(await presence.add('room', 'bob', 'b', 10_000), true)
    t.equal(await presence.add('room', 'ana', 'ana v2', 10_000), false, 'a refresh')
    t.same(byMember(await presence.members('room')), [{ member: 'ana', value: 'ana v2' }, { member: 'bob', value: 'b' }])
    t.same(await presence.members('other'), [], 'sets are independent')
    t.equal(await presence.remove('room', 'ana'), true)
    t.equal(await presence.remove('room', 'ana'), false)
    t.same(await presence.members('room'), [{ member: 'bob', value: 'b' }])
    t.same(await presence.expire('room'), [], 'nothing expired')
    await t.rejects(presence.add('room', 'x', 'v', 0), RangeError)
  })

  t.test('presence: entries expire unless refreshed', async (t) => {
    const { presence } = await setup(t)
    await presence.add('room', 'short', 's', 150)
    await presence.add('room', 'refreshed', 'r', 150)
    await presence.add('room', 'long', 'l', 10_000)
    await sleep(80)
    await presence.add('room', 'refreshed', 'r', 10_000)
    await sleep(300)
    t.same(byMember(await presence.members('room')), [{ member: 'long', value: 'l' }, { member: 'refreshed', value: 'r' }])
    t.same(await presence.expire('room'), [{ member: 'short', value: 's' }], 'expire returns the expired entry')
    t.same(await presence.expire('room'), [], 'only once')
    t.equal(await presence.add('room', 'short', 's', 10_000), true, 'back as a new member')
  })

  t.test('presence: concurrent expire calls see each entry exactly once', async (t) => {
    const { presence } = await setup(t)
    const expected = Array.from({ length: 30 }, (_, i) => ({ member: `u${String(i).padStart(2, '0')}`, value: `v${i}` }))
    await Promise.all(expected.map(async ({ member, value }) => await presence.add('room', member, value, 100)))
    await presence.add('room', 'stays', 'v', 10_000)
    await sleep(300)
    const [a, b] = await Promise.all([presence.expire('room'), presence.expire('room')])
    t.same(byMember([...a, ...b]), expected, 'all expired entries, none twice')
    t.same(await presence.expire('room'), [])
    t.same(await presence.members('room'), [{ member: 'stays', value: 'v' }])
    t.equal(await presence.remove('room', 'u00'), false, 'expired entries are gone')
  })

  t.test('presence: remove takes an expired entry so expire never returns it', async (t) => {
    const { presence } = await setup(t)
    await presence.add('room', 'ana', 'a', 100)
    await sleep(250)
    t.equal(await presence.remove('room', 'ana'), true)
    t.same(await presence.expire('room'), [])
  })

  t.test('presence: addMany and expireMany work as add and expire over many sets', async (t) => {
    const { presence } = await setup(t)
    await presence.add('a', 'old', 'o', 10_000)
    t.same(await presence.addMany([]), [])
    t.same(await presence.addMany([
      { set: 'a', member: 'old', value: 'o2', ttlMs: 10_000 },
      { set: 'a', member: 'short', value: 's', ttlMs: 100 },
      { set: 'b', member: 'short', value: 's', ttlMs: 100 },
      { set: 'b', member: 'long', value: 'l', ttlMs: 10_000 }
    ]), [added(false), added(true), added(true), added(true)], 'new or refreshed, in order')
    t.same(byMember(await presence.members('a')), [{ member: 'old', value: 'o2' }, { member: 'short', value: 's' }])
    await sleep(250)
    t.same(await presence.expireMany(['a', 'none', 'b']), [[{ member: 'short', value: 's' }], [], [{ member: 'short', value: 's' }]])
    t.same(await presence.expireMany(['a', 'b']), [[], []], 'each expired entry once')
    t.same(await presence.members('b'), [{ member: 'long', value: 'l' }])
    await t.rejects(presence.addMany([{ set: 'a', member: 'x', value: 'v', ttlMs: 0 }]), RangeError)
    t.same(await presence.members('a'), [{ member: 'old', value: 'o2' }], 'a bad item stores nothing')
  })

  t.test('presence: the bulk calls handle more items than one script run', async (t) => {
    const { presence } = await setup(t)
    const items = Array.from({ length: 600 }, (_, i) => ({ set: `s${i % 300}`, member: `m${i}`, value: `v${i}`, ttlMs: 100 }))
    const added = await presence.addMany(items)
    t.equal(added.length, 600)
    t.ok(added.every((a) => a.added && !a.revived))
    await sleep(250)
    const expired = await presence.expireMany(Array.from({ length: 300 }, (_, i) => `s${i}`))
    t.equal(expired.length, 300)
    t.same(byMember(expired[7]!), [{ member: 'm307', value: 'v307' }, { member: 'm7', value: 'v7' }])
    t.equal(expired.flat().length, 600)
  })

  t.test('presence: enter, exit and view are versioned, each change with a larger version', async (t) => {
    const { presence } = await setup(t)
    const empty = await presence.view('room')
    t.same(empty.entries, [])
    const ana = await presence.enter('room', 'ana|i1', 'a', 10_000)
    t.equal(ana.added, true)
    t.same(ana.entries, [{ member: 'ana|i1', value: 'a' }], 'the view includes the entry')
    t.ok(ana.version > empty.version, 'an add makes a larger version')
    const again = await presence.enter('room', 'ana|i1', 'a', 10_000)
    t.equal(again.added, false)
    t.equal(again.version, ana.version, 'a refresh with the same value changes no version')
    t.equal((await presence.view('room')).version, ana.version, 'a view between changes has the last one')
    await presence.add('room', 'ana|i2', 'a', 10_000)
    await presence.add('room', 'bob|i1', 'b', 10_000)
    const viewed = await presence.view('room')
    t.ok(viewed.version > ana.version, 'add bumps too')
    t.same(byMember(viewed.entries).map((e) => e.member), ['ana|i1', 'ana|i2', 'bob|i1'])
    const first = await presence.exit('room', 'ana|i1', 'ana|')
    t.same({ removed: first.removed, others: first.others }, { removed: true, others: true }, 'another entry of ana is left')
    t.ok(first.version > viewed.version)
    const last = await presence.exit('room', 'ana|i2', 'ana|')
    t.same({ removed: last.removed, others: last.others }, { removed: true, others: false })
    t.ok(last.version > first.version)
    const none = await presence.exit('room', 'ana|i2', 'ana|')
    t.same(none, { removed: false, others: false, version: last.version }, 'nothing removed, no new version')
    t.ok((await presence.exit('room', 'bob|i1', 'bob|')).version > last.version, 'the last entry of the set')
    const back = await presence.enter('room', 'bob|i1', 'b', 10_000)
    t.ok(back.version > last.version, 'versions grow after the set emptied')
  })

  t.test('presence: concurrent enters see each other in version order', async (t) => {
    const { presence } = await setup(t)
    const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => await presence.enter('room', `u${i}|i`, 'v', 10_000)))
    const sorted = [...results].sort((a, b) => a.version - b.version)
    sorted.forEach((result, i) => t.equal(result.entries?.length, i + 1, `the view of version ${i + 1} holds the ${i + 1} first entries`))
    t.equal(new Set(results.map((r) => r.version)).size, 20, 'distinct versions')
  })

  t.test('presence: expiry bumps the version', async (t) => {
    const { presence } = await setup(t)
    await presence.add('room', 'short', 's', 100)
    await presence.add('room', 'long', 'l', 10_000)
    const before = await presence.view('room')
    await sleep(250)
    t.same(await presence.expireMany(['room']), [[{ member: 'short', value: 's' }]])
    t.ok((await presence.view('room')).version > before.version)
  })

  t.test('presence: enter given a known version answers with the entries or the changes since', async (t) => {
    const { presence } = await setup(t)
    const replica = replicaOf(t, presence, 'room')
    replica.apply(await presence.enter('room', 'a|1', 'a', 10_000, replica.known))
    await presence.add('room', 'b|1', 'b', 10_000)
    await presence.add('room', 'c|1', 'c', 10_000)
    await presence.remove('room', 'b|1')
    replica.apply(await presence.enter('room', 'd|1', 'd', 10_000, replica.known))
    await replica.check('after adds and a removal')
    await presence.add('room', 'e|1', 'e', 100)
    await sleep(250)
    await presence.expireMany(['room'])
    replica.apply(await presence.enter('room', 'a|1', 'a', 10_000, replica.known))
    await replica.check('after an expiry and a refresh')
    for (let i = 0; i < 300; i++) await presence.add('room', `x${i}|1`, 'x', 10_000)
    replica.apply(await presence.enter('room', 'f|1', 'f', 10_000, replica.known))
    await replica.check('after more changes than are kept')
  })

  t.test('presence: a refresh with a new value is a change, one with the same value is none', async (t) => {
    const { presence } = await setup(t)
    const replica = replicaOf(t, presence, 'room')
    await presence.addMany(['a', 'b', 'c'].map((v) => ({ set: 'room', member: `${v}|1`, value: v, ttlMs: 10_000 })))
    replica.apply(await presence.enter('room', 'a|1', 'a', 10_000))
    const before = (await presence.view('room')).version
    t.equal(replica.known, before)
    t.equal(await presence.add('room', 'b|1', 'b', 10_000), false)
    t.same(await presence.addMany([{ set: 'room', member: 'c|1', value: 'c', ttlMs: 10_000 }]), [added(false)])
    const same = await presence.enter('room', 'a|1', 'a', 10_000, replica.known)
    t.same({ version: same.version, changes: same.changes ?? [] }, { version: before, changes: [] }, 'the keep-alive: no version, nothing to tell')
    t.equal((await presence.view('room')).version, before, 'add and addMany with the same value: no version either')
    await refreshesAreChanges(t, presence, replica, [{ member: 'b|1', value: 'B' }, { member: 'c|1', value: 'C' }, { member: 'a|1', value: 'A' }])
    await replica.check('a replica kept from changes has the new values')
    t.same(byMember((await presence.view('room')).entries), [{ member: 'a|1', value: 'A' }, { member: 'b|1', value: 'B' }, { member: 'c|1', value: 'C' }])
  })

  t.test('presence: a refresh that brings back an expired entry no expire took is a change', async (t) => {
    const { presence } = await setup(t)
    const replica = replicaOf(t, presence, 'room')
    await presence.add('room', 'a|1', 'a', 10_000)
    await presence.add('room', 'b|1', 'b', 10_000)
    const expired = ['s1', 's2', 's3'].map((s) => ({ member: `${s}|1`, value: s }))
    for (const { member, value } of expired) await presence.add('room', member, value, 100)
    await sleep(250)
    // Read whole while they are past their expiry (hidden), not yet taken by a sweep.
    replica.apply(await presence.enter('room', 'a|1', 'a', 10_000))
    await replica.check('read whole while expired')
    await refreshesAreChanges(t, presence, replica, expired, true)
    await replica.check('a replica kept from changes has the entries back')
    t.same(await presence.expire('room'), [], 'nothing left to sweep')
    t.same(byMember((await presence.view('room')).entries).map((e) => e.member), ['a|1', 'b|1', 's1|1', 's2|1', 's3|1'])
  })

  t.test('presence: addMany tells revived entries apart, and each add that answered true still gets one removal', async (t) => {
    const { presence } = await setup(t)
    await presence.addMany([
      { set: 'a', member: 'gone', value: 'g', ttlMs: 100 },
      { set: 'a', member: 'back', value: 'b', ttlMs: 100 },
      { set: 'b', member: 'back', value: 'b', ttlMs: 100 },
      { set: 'b', member: 'live', value: 'l', ttlMs: 10_000 }
    ])
    await sleep(250)
    const before = await presence.view('b')
    t.same(await presence.addMany([
      { set: 'a', member: 'back', value: 'b', ttlMs: 10_000 },
      { set: 'b', member: 'back', value: 'b2', ttlMs: 10_000 },
      { set: 'b', member: 'live', value: 'l', ttlMs: 10_000 },
      { set: 'b', member: 'new', value: 'n', ttlMs: 10_000 }
    ]), [{ added: false, revived: true }, { added: false, revived: true }, added(false), added(true)], 'revived with the same value or a new one; live; new')
    t.ok((await presence.view('b')).version > before.version, 'a revival is a change')
    t.same(await presence.addMany([{ set: 'b', member: 'back', value: 'b2', ttlMs: 10_000 }]), [added(false)], 'revived once: then a keep-alive')
    t.same(await presence.expireMany(['a', 'b']), [[{ member: 'gone', value: 'g' }], []], 'only the entry not brought back expires')
    t.equal(await presence.remove('a', 'back'), true, 'a revived entry is removed once')
    t.equal(await presence.remove('a', 'back'), false)
    t.same(await presence.members('a'), [])
  })
}

/**
 * Refreshes an entry of 'room' by `add`, one by `addMany` and one by `enter` (given the replica's
 * version, which it then applies): each must be a change of its own, though no new member; `addMany`
 * tells whether its entry was `revived` (back from past its expiry).
 */
async function refreshesAreChanges (t: Test, presence: PresenceSets, replica: Replica, [byAdd, byMany, byEnter]: PresenceEntry[], revived = false): Promise<void> {
  const versionNow = async (): Promise<number> => (await presence.view('room')).version
  let last = replica.known
  t.equal(await presence.add('room', byAdd!.member, byAdd!.value, 10_000), false, 'add: no new member')
  t.ok(await versionNow() > last, 'add: a new version')
  last = await versionNow()
  t.same(await presence.addMany([{ set: 'room', ...byMany!, ttlMs: 10_000 }]), [{ added: false, revived }], `addMany: no new member${revived ? ', revived' : ''}`)
  t.ok(await versionNow() > last, 'addMany: a new version')
  last = await versionNow()
  const own = await presence.enter('room', byEnter!.member, byEnter!.value, 10_000, replica.known)
  t.equal(own.added, false, 'enter: no new member')
  t.ok(own.version > last, 'enter: its own new version')
  replica.apply(own)
}
