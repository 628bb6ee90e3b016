import type { Cluster } from 'ioredis'
import calculateSlot from 'cluster-key-slot'

/** How often lost channels are tried again where the cluster now places them. */
const RECOVER_EVERY_MS = 500

export interface ShardWatchDeps {
  /** The channels (full names) subscribed now. */
  wanted: () => Iterable<string>
  /** SSUBSCRIBEs `channels` again where the cluster places them now; resolves once Redis confirmed. */
  confirm: (channels: string[]) => Promise<void>
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
  /** Lost channels, each with the count of losses seen: a confirmation counts only if none came since. */
  const pending = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const ownerNow = (channel: string): string | undefined => (subscriber as WithSlots).slots[calculateSlot(channel)]?.[0]

  const schedule = (): void => {
    if (timer === undefined && !closed && pending.size > 0) timer = setTimeout(recover, RECOVER_EVERY_MS)
  }

  const markLost = (channels: Iterable<string>): void => {
    const fresh: string[] = []
    for (const channel of channels) {
      const losses = pending.get(channel)
      if (losses === undefined) fresh.push(channel)
      pending.set(channel, (losses ?? 0) + 1)
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
    const attempt = new Map(pending)
    void deps.confirm([...attempt.keys()]).then(() => {
      if (closed) return
      const back: string[] = []
      for (const [channel, losses] of attempt) {
        if (pending.get(channel) !== losses) continue // lost again meanwhile: the next round
        pending.delete(channel)
        owners.set(channel, ownerNow(channel))
        back.push(channel)
      }
      if (back.length > 0) deps.back(back)
      schedule()
    }, () => { schedule() })
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
