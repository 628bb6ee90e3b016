import type { Cluster, Redis } from 'ioredis'
import { EngineUnavailableError, type PubSub, type ScopeListener } from '../types.js'
import { engineDeadline } from '../deadline.js'
import type { Guard } from './guard.js'
import type { RedisNames } from './names.js'
import { watchShards } from './shards.js'

interface Subscription {
  handler: (message: string) => void
}

interface Channel {
  /** The name the caller subscribed (without prefix or tag): what interrupt and resume scopes hold. */
  name: string
  subscriptions: Set<Subscription>
  /** Settles when Redis confirmed the SUBSCRIBE. */
  active: Promise<void>
}

export interface RedisPubSubDeps {
  client: Redis | Cluster
  subscriber: Redis | Cluster
  names: RedisNames
  /** Guards commands on the command connection and on the subscriber connection. */
  onClient: Guard
  onSubscriber: Guard
  onError: (err: unknown) => void
  timeoutMs: number
}

export interface RedisPubSub extends PubSub {
  /** Detaches from the subscriber connection; unsubscribes its channels when `unsubscribe`. */
  close: (unsubscribe: boolean) => Promise<void>
}

/** How channels are subscribed and published: plain pub/sub on one Redis, sharded on a cluster. */
interface Wire {
  subscribe: (channels: string[]) => Promise<unknown>
  unsubscribe: (channels: string[]) => Promise<unknown>
  publish: (channel: string, message: string) => Promise<unknown>
  messageEvent: 'message' | 'smessage'
}

function wireOf (client: Redis | Cluster, subscriber: Redis | Cluster, sharded: boolean): Wire {
  if (!sharded) {
    return {
      subscribe: async (channels) => await subscriber.subscribe(...channels),
      unsubscribe: async (channels) => await subscriber.unsubscribe(...channels),
      publish: async (channel, message) => await client.publish(channel, message),
      messageEvent: 'message'
    }
  }
  // Sharded pub/sub: a channel lives on the shard that owns its slot, and the cluster client
  // keeps one subscriber connection per primary. One command may only name channels of one slot.
  return {
    subscribe: async (channels) => await Promise.all(channels.map(async (channel) => await subscriber.ssubscribe(channel))),
    unsubscribe: async (channels) => await Promise.all(channels.map(async (channel) => await subscriber.sunsubscribe(channel))),
    publish: async (channel, message) => await client.spublish(channel, message),
    messageEvent: 'smessage'
  }
}

/**
 * Pub/sub over a dedicated subscriber connection: one SUBSCRIBE per channel however many
 * handlers share it, dispatch by channel name, and `onResume` once a lost connection is back
 * with every channel confirmed subscribed again.
 *
 * On a cluster (names.cluster) channels are sharded (SSUBSCRIBE/SPUBLISH) and fail shard by
 * shard (shards.ts): interrupt and resume then name the channels of the lost shard only.
 */
export function createRedisPubSub (deps: RedisPubSubDeps): RedisPubSub {
  const { client, subscriber, names, onClient, onSubscriber, onError } = deps
  const sharded = names.cluster
  const wire = wireOf(client, subscriber, sharded)
  const channels = new Map<string, Channel>()
  /** Channels left without handlers while the subscriber was down: unsubscribed on resume. */
  const stale = new Set<string>()
  const resumeListeners = new Set<ScopeListener>()
  const interruptListeners = new Set<ScopeListener>()
  let connected = subscriber.status === 'ready'
  let lost = false

  const deliver = (subscription: Subscription, message: string): void => {
    try {
      subscription.handler(message)
    } catch (err) {
      onError(err)
    }
  }

  const onMessage = (channel: string, message: string): void => {
    const state = channels.get(channel)
    if (state === undefined) return
    // The usual single handler without copying the set (a handler may unsubscribe others).
    if (state.subscriptions.size === 1) {
      for (const subscription of state.subscriptions) deliver(subscription, message)
      return
    }
    for (const subscription of [...state.subscriptions]) {
      if (state.subscriptions.has(subscription)) deliver(subscription, message)
    }
  }

  const release = async (channel: string, state: Channel): Promise<void> => {
    await state.active.catch(() => {})
    // A new subscriber of the channel came meanwhile: its SUBSCRIBE keeps the channel.
    if (channels.has(channel)) return
    try {
      await onSubscriber(async () => await wire.unsubscribe([channel]))
    } catch {
      stale.add(channel)
    }
  }

  /** Subscribes every wanted channel again (idempotent) and drops the stale ones. */
  const restore = async (): Promise<void> => {
    const wanted = [...channels.keys()]
    if (wanted.length > 0) await onSubscriber(async () => await wire.subscribe(wanted))
    const unwanted = [...stale].filter((channel) => !channels.has(channel))
    if (unwanted.length > 0) await onSubscriber(async () => await wire.unsubscribe(unwanted))
    for (const channel of unwanted) stale.delete(channel)
  }

  const resume = async (): Promise<void> => {
    try {
      // Confirms the channels ioredis resubscribed, and restores any it did not.
      await restore()
    } catch (err) {
      onError(err)
      // Dropped again: the next 'ready' retries. Still up: ioredis resubscribed on its own, and
      // listeners holding messages since the interrupt must not wait for a reconnect that may never come.
      if (!connected) return
    }
    notify(resumeListeners)
  }

  const notify = (listeners: Set<ScopeListener>, scope?: ReadonlySet<string>): void => {
    for (const listener of [...listeners]) {
      try {
        listener(scope)
      } catch (err) {
        onError(err)
      }
    }
  }

  const onClose = (): void => {
    const interrupted = connected
    connected = false
    if (!interrupted) return
    lost = true
    notify(interruptListeners)
  }
  const onReady = (): void => {
    connected = true
    if (!lost) return
    lost = false
    void resume()
  }

  /** The callers' names of channels (full names), those still subscribed. */
  const scopeOf = (full: string[]): ReadonlySet<string> =>
    new Set(full.flatMap((channel) => { const name = channels.get(channel)?.name; return name === undefined ? [] : [name] }))
  const shards = sharded
    ? watchShards(subscriber as Cluster, {
      wanted: () => channels.keys(),
      confirm: async (channel) => {
        await onSubscriber(async () => await wire.subscribe([channel]))
        const unwanted = [...stale].filter((name) => !channels.has(name))
        for (const name of unwanted) stale.delete(name)
        if (unwanted.length > 0) await onSubscriber(async () => await wire.unsubscribe(unwanted)).catch(() => { for (const name of unwanted) stale.add(name) })
      },
      lost: (lostChannels) => { notify(interruptListeners, scopeOf(lostChannels)) },
      back: (channelsBack) => { notify(resumeListeners, scopeOf(channelsBack)) }
    })
    : undefined

  subscriber.on(wire.messageEvent, onMessage)
  if (!sharded) {
    subscriber.on('close', onClose)
    subscriber.on('ready', onReady)
  }

  return {
    async publish (channel, message) {
      await onClient(async () => await wire.publish(names.channel(channel), message))
    },

    async subscribe (name, handler) {
      const channel = names.channel(name)
      let state = channels.get(channel)
      if (state === undefined) {
        if (subscriber.status !== 'ready') throw new EngineUnavailableError(`Redis subscriber is unavailable (connection ${subscriber.status})`)
        const active = onSubscriber(async () => { await wire.subscribe([channel]) })
        const created: Channel = { name, subscriptions: new Set(), active }
        state = created
        channels.set(channel, created)
        stale.delete(channel)
        active.then(() => { if (channels.get(channel) === created) shards?.placed(channel) }, () => {
          if (channels.get(channel) !== created) return
          channels.delete(channel)
          stale.add(channel) // the SUBSCRIBE may still land
        })
      }
      const subscription: Subscription = { handler }
      const own = state
      own.subscriptions.add(subscription)
      try {
        await own.active
      } catch (err) {
        own.subscriptions.delete(subscription)
        throw err
      }
      let done = false
      return async () => {
        if (done) return
        done = true
        own.subscriptions.delete(subscription)
        if (own.subscriptions.size > 0 || channels.get(channel) !== own) return
        channels.delete(channel)
        shards?.forget(channel)
        await release(channel, own)
      }
    },

    onResume (listener) {
      resumeListeners.add(listener)
      return () => { resumeListeners.delete(listener) }
    },

    onInterrupt (listener) {
      interruptListeners.add(listener)
      return () => { interruptListeners.delete(listener) }
    },

    async close (unsubscribe) {
      shards?.close()
      subscriber.off(wire.messageEvent, onMessage)
      subscriber.off('close', onClose)
      subscriber.off('ready', onReady)
      resumeListeners.clear()
      interruptListeners.clear()
      const owned = [...channels.keys(), ...stale]
      channels.clear()
      stale.clear()
      if (unsubscribe && owned.length > 0 && subscriber.status === 'ready') {
        await engineDeadline(wire.unsubscribe(owned), deps.timeoutMs).catch(() => {})
      }
    }
  }
}
