import type { AuthClient } from '@webchat/client'
import { openClient, type ChatClient, type ClientOptions } from './chat-client.js'
import type { Stack } from './stack.js'

interface Teardown { teardown (fn: () => unknown): void }

export interface CrowdOptions {
  /** Clients (one user each). */
  size: number
  /** Rooms every client joins. */
  rooms: string[]
  /** Name prefix; users are `<label>-<i>@example.com`. */
  label: string
  onShown?: ClientOptions['onShown']
}

/**
 * Signs in `size` users and opens one client each, spread evenly over the chat instances (client
 * i starts on instance i mod n and tries the others in turn when it reconnects), every room
 * joined. Closed in teardown.
 */
/** A crowd member: its chat client and its signed-in auth client (for logout and the like). */
export type Member = ChatClient & { session: AuthClient }

export async function openCrowd (t: Teardown, stack: Stack, options: CrowdOptions): Promise<Member[]> {
  const urls = stack.chats.map((c) => c.wsUrl)
  const clients = await Promise.all(Array.from({ length: options.size }, async (_, i) => {
    const auth = await stack.signIn(`${options.label}-${i}@example.com`, `${options.label} ${i}`)
    const order = urls.map((_u, k) => urls[(i + k) % urls.length]!)
    const client = await openClient(stack, { name: `${options.label}${i}`, auth, urls: order, ...(options.onShown === undefined ? {} : { onShown: options.onShown }) })
    t.teardown(() => { client.close() })
    return Object.assign(client, { session: auth })
  }))
  for (const room of options.rooms) await Promise.all(clients.map(async (c) => { await c.join(room) }))
  return clients
}
