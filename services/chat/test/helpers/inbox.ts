import { Redis } from 'ioredis'
import type { Engine } from '@webchat/engine'
import type { Member } from '@webchat/shared'
import type { Config } from '../../src/config.js'
import { encodeBody, framePublish } from '../../src/delivery/message-frame.js'
import { READ_MARKER_TTL_MS } from '../../src/inbox/marker.js'
import { createInboxStore } from '../../src/inbox/store.js'
import { names } from '../../src/names.js'
import type { TestClient } from './client.js'
import { type Cluster, type EngineKind, startCluster } from './cluster.js'
import { ask } from './rooms.js'

export interface Extra { mentions?: string[], mentionsRoom?: boolean, maxLen?: number }

/**
 * Appends a numbered message as the send path stores it (`"seq"` from the engine's sequence,
 * published as a `message` frame) and records its mentions as the send path does; an own message
 * reads the room up to it, as a send does. Resolves with its id and number.
 */
export async function appendMessage (engine: Engine, config: Config, room: string, user: Member, text: string, extra: Extra = {}): Promise<{ id: string, seq: number }> {
  const data = encodeBody({ ts: Date.now(), room, user, text, mentions: extra.mentions, mentionsRoom: extra.mentionsRoom })
  const appended = await engine.logs.append(names.roomLog(room), data, {
    maxLen: extra.maxLen ?? config.roomHistory,
    sequence: true,
    entryStates: names.roomStates(room),
    stamp: { key: names.readMarker(room, user.id), ttlMs: READ_MARKER_TTL_MS },
    publish: { channel: names.roomChannel(room), ...framePublish(data) }
  })
  const seq = appended.seq ?? 0
  const inbox = createInboxStore({ engine, config })
  await inbox.recordMentions(room, { user, seq, mentions: extra.mentions, mentionsRoom: extra.mentionsRoom }, appended.epoch)
  return { id: appended.id, seq }
}

/** Loses a room's log on the cluster's redis-server, as a restart without persistence would: a new epoch follows. */
export async function loseLog (cluster: Cluster, room: string): Promise<number> {
  if (cluster.redis === undefined) throw new Error('needs one redis-server')
  const client = new Redis(cluster.redis.url)
  try {
    const keys = await client.keys(`${cluster.prefix}log*:${names.roomLog(room)}*`)
    return keys.length === 0 ? 0 : await client.del(...keys)
  } finally {
    client.disconnect()
  }
}

/** Bob's new private room on the first instance, Ada invited to it on the last (her list holds it). */
export async function invited (t: Parameters<typeof startCluster>[0], kind: EngineKind, instances = 2): Promise<{ cluster: Cluster, bob: TestClient, ada: TestClient, room: string }> {
  const cluster = await startCluster(t, kind, { instances })
  const bob = await cluster.connect(0, { sub: 'bob', name: 'Bob' })
  const ada = await cluster.connect(instances - 1, { sub: 'ada', name: 'Ada' })
  const room = ((await ask(bob, { type: 'create', title: 'Review' })).room as { id: string }).id
  await cluster.join(bob, room)
  t.equal((await ask(bob, { type: 'invite', room, user: 'ada' })).type, 'done')
  await ada.waitFor((f) => f.type === 'room' && (f.entry as { room: { id: string } }).room.id === room)
  return { cluster, bob, ada, room }
}
