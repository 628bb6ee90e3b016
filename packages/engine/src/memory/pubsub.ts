import type { PubSub } from '../types.js'

export interface MemoryPubSub extends PubSub {
  /** Queues delivery to the channel's current handlers; never calls them synchronously. */
  deliver: (channel: string, message: string) => void
  clear: () => void
}

interface Subscription {
  handler: (message: string) => void
}

/** In-process pub/sub: one handler set per channel, delivered in publish order on a microtask. */
export function createMemoryPubSub (onError: (err: unknown) => void): MemoryPubSub {
  const channels = new Map<string, Set<Subscription>>()

  const deliver = (channel: string, message: string): void => {
    const subscriptions = channels.get(channel)
    if (subscriptions === undefined) return
    for (const subscription of subscriptions) {
      queueMicrotask(() => {
        // Checked at delivery time: nothing arrives after unsubscribe resolved.
        if (!subscriptions.has(subscription)) return
        try {
          subscription.handler(message)
        } catch (err) {
          onError(err)
        }
      })
    }
  }

  return {
    deliver,
    async publish (channel, message) {
      deliver(channel, message)
    },
    async subscribe (channel, handler) {
      const subscription: Subscription = { handler }
      let subscriptions = channels.get(channel)
      if (subscriptions === undefined) {
        subscriptions = new Set()
        channels.set(channel, subscriptions)
      }
      subscriptions.add(subscription)
      const own = subscriptions
      return async () => {
        own.delete(subscription)
        if (own.size === 0 && channels.get(channel) === own) channels.delete(channel)
      }
    },
    onResume () {
      // One process never loses its subscriptions.
      return () => {}
    },
    onInterrupt () {
      return () => {}
    },
    clear: () => channels.clear()
  }
}
