import type { Cluster } from 'ioredis'
import calculateSlot from 'cluster-key-slot'

/** How often lost channels are looked at. */
const RECOVER_EVERY_MS = 500
/**
 * Longest wait between tries of a channel whose slot still has the owner it was lost with (the
 * primary may come back, or its replica be promoted later). Each try leaves an entry in the client
 * library's own channel list (kept until the channel is unsubscribed), so tries are spaced out
 * until the topology shows a new owner, when one more try is made at once.
 */
const SAME_OWNER_MAX_WAIT_MS = 4000

export interface ShardWatchDeps {
  /** The channels (full names) subscribed now. */
  wanted: () => Iterable<string>
  /** SSUBSCRIBEs `channel` again where the cluster places it now; resolves once Redis confirmed. */
  confirm: (channel: string) => Promise<void>
  /** Channels whose messages may be missed from now on (each told once until it is back). */
  lost: (channels: string[]) => void
  /** Lost channels confirmed subscribed again: messages flow from here on. */
  back: (channels: string[]) => void
}

export interface ShardWatch {
  /** Notes which primary holds `channel` now (after its SSUBSCRIBE was confirmed). */
  placed: (channel: string) => void
  forget: (channel: string) => void
  close: () => void
}

/** The slot map of a Cluster client: slot → node keys (`host:port`), primary first. */
type WithSlots = Cluster & { slots: string[][] }

/**
 * Sharded pub/sub fails shard by shard: a primary dies (its subscriber connection ends) or its
 * slots move to another node (Redis drops the subscriptions of a moved slot). The cluster client
 * re-subscribes on the new owner but does not say when that is confirmed, nor which messages
 * were missed. This tracks which primary holds each channel, tells `lost` exactly the channels of
 * a lost or moved shard (the other shards' rooms go on undisturbed), and tells `back` once a
 * subscription of our own is confirmed where the cluster now places them.
 */
export function watchShards (subscriber: Cluster, deps: ShardWatchDeps): ShardWatch {
  const owners = new Map<string, string | undefined>()
  /**
   * Lost channels: the losses seen (a confirmation counts only if none came since), the owner of
   * its slot when lost, the tries made and when the next is due.
   */
  const pending = new Map<string, { losses: number, owner: string | undefined, tries: number, dueAt: number }>()
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const ownerNow = (channel: string): string | undefined => (subscriber as WithSlots).slots[calculateSlot(channel)]?.[0]

  const schedule = (): void => {
    if (timer === undefined && !closed && pending.size > 0) timer = setTimeout(recover, RECOVER_EVERY_MS)
  }

  const markLost = (channels: Iterable<string>): void => {
    const fresh: string[] = []
    for (const channel of channels) {
      const known = pending.get(channel)
      if (known === undefined) {
        fresh.push(channel)
        pending.set(channel, { losses: 1, owner: owners.get(channel), tries: 0, dueAt: Date.now() + RECOVER_EVERY_MS })
      } else {
        known.losses++
      }
    }
    if (fresh.length > 0) deps.lost(fresh)
    schedule()
  }

  const recover = (): void => {
    timer = undefined
    if (closed) return
    const wanted = new Set(deps.wanted())
    for (const channel of pending.keys()) if (!wanted.has(channel)) pending.delete(channel)
    if (pending.size === 0) return
    if (subscriber.status !== 'ready') {
      schedule()
      return
    }
    // Each channel on its own: a shard still failing over must not hold the rooms of one that is back.
    const now = Date.now()
    const due = [...pending].filter(([channel, state]) => now >= state.dueAt || ownerNow(channel) !== state.owner)
    for (const [channel, state] of due) {
      state.tries++
      state.owner = ownerNow(channel)
      state.dueAt = now + Math.min(RECOVER_EVERY_MS * 2 ** state.tries, SAME_OWNER_MAX_WAIT_MS)
    }
    void Promise.allSettled(due.map(async ([channel, { losses }]) => { await deps.confirm(channel); return { channel, losses } })).then((results) => {
      if (closed) return
      const back: string[] = []
      for (const result of results) {
        if (result.status !== 'fulfilled') continue
        const { channel, losses } = result.value
        if (pending.get(channel)?.losses !== losses) continue // lost again meanwhile: the next round
        pending.delete(channel)
        owners.set(channel, ownerNow(channel))
        back.push(channel)
      }
      if (back.length > 0) deps.back(back)
      schedule()
    })
  }

  const onNodeGone = (_node: unknown, nodeKey: unknown): void => {
    markLost([...owners].filter(([, owner]) => owner === nodeKey).map(([channel]) => channel))
  }
  // After each change of topology: the channels whose slot has a new owner.
  const onTopology = (): void => {
    markLost([...owners].filter(([channel, owner]) => ownerNow(channel) !== owner).map(([channel]) => channel))
  }
  // The whole cluster client lost: every channel.
  const onClose = (): void => { markLost(owners.keys()) }

  subscriber.on('-node', onNodeGone)
  subscriber.on('subscribersReady', onTopology)
  subscriber.on('close', onClose)

  return {
    placed (channel) {
      if (!pending.has(channel)) owners.set(channel, ownerNow(channel))
    },
    forget (channel) {
      owners.delete(channel)
      pending.delete(channel)
    },
    close () {
      closed = true
      clearTimeout(timer)
      subscriber.off('-node', onNodeGone)
      subscriber.off('subscribersReady', onTopology)
      subscriber.off('close', onClose)
    }
  }
}
