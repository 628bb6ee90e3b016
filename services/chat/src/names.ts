import { names as shared, ownHashTag } from '@webchat/engine'

/**
 * Every logical key, log and channel name the chat service uses, made in one place. The engine
 * adds its prefix (REDIS_PREFIX) to each.
 */
export const names = {
  ...shared,
  /**
   * Channel: the one logout channel of auth versions before the buckets (sessionRevokedChannel),
   * still followed so that chat can be upgraded first; drop it once no such auth runs.
   */
  legacySessionRevokedChannel: 'session:revoked',
  /** Log (Redis Stream) of a room's messages. */
  roomLog: (room: string): string => `room-log:${room}`,
  /**
   * Map: the state of a room's messages that changed after they were sent (lifecycle/states.ts),
   * one field per message id, dropped with the entries of the log; in the room's slot. Its field
   * `@room` holds the numbers of the room's latest `@room` mentions (inbox/mention-seqs.ts).
   */
  roomStates: (room: string): string => `room-states:${room}`,
  /** Channel of a room: messages, presence, typing and read events, as finished frames. */
  roomChannel: (room: string): string => `room:${room}`,
  /** Channel of a bucket of users (see user-events.ts): `event` frames pushed by backends. */
  userEvents: (bucket: number): string => `user-events:${bucket}`,
  /** Presence set of a room: one entry per user and instance. */
  presenceSet: (room: string): string => `presence:${room}`,
  presenceMember: (userId: string, instanceId: string): string => `${names.presenceOwner(userId)}${instanceId}`,
  /** What every presence entry of one user starts with. */
  presenceOwner: (userId: string): string => `${userId}|`,
  /** Key: a user's read marker in a room (inbox/marker.ts), in the room's slot. */
  readMarker: (room: string, userId: string): string => `read:${room}:${userId}`,
  /** Key: set for 2 s after a user's typing event in a room, on any instance. */
  typing: (room: string, userId: string): string => `typing:${room}:${userId}`,
  /** Claims group (`kv.claim`) of the token ids that have opened a connection, of a bucket of users (tokens.ts). */
  usedTokens: (bucket: number): string => `used-tokens:${bucket}`,
  /** Key: a reconnect ticket's session and token expiry (reconnect-tickets.ts), by a digest of its secret, in its user's slot. */
  reconnectTicket: (userId: string, digest: string): string => `reconnect:{${userId}}:${digest}`,
  /** Key: set while an instance's process runs (INSTANCE_ID and a random part), renewed every third of the ticket life: its open connections' tickets work while it lives (reconnect-tickets.ts). */
  instanceAlive: (process: string): string => `instance-alive:{${process}}`,
  /** Key: how a used token id was marked before claims; read while such a key may still live. */
  usedToken: (jti: string): string => `jti:${jti}`,
  /** Counter: rooms a user started (sent the first message to) in the current hour. */
  newRooms: (userId: string): string => `new-rooms:${userId}`,
  /**
   * Map: a room's record, members, bans and member count (membership/records.ts). Tagged with the
   * room, so that on Redis Cluster it lives with the room's log.
   */
  roomRecord: (room: string): string => `room:{${room}}`,
  /** Map: the rooms a user is in (room id → kind), tagged with the user. */
  userRooms: (userId: string): string => `user-rooms:{${userId}}`,
  /** Map: the numbers of a user's unread mentions, a field per room (inbox/mention-seqs.ts), tagged with the user. */
  mentions: (userId: string): string => `mentions:{${userId}}`,
  /** Queue (engine `queues`): the events waiting for one webhook endpoint (hooks/webhooks), its own slot. */
  webhookQueue: (endpoint: string): string => `webhooks:${endpoint}`,
  /** Key: set while a user is active (a frame from any of their connections within NOTIFY_IDLE_MS), in their slot (notify/). */
  activity: (userId: string): string => `active:{${userId}}`,
  /** Map: a user's direct messages and mentions waiting to be mailed (notify/), a field per room and message, in their slot. */
  notifyItems: (userId: string): string => `notify-items:{${userId}}`,
  /** Map: users whose mail is due (user → time), one of NOTIFY_BUCKETS maps by a hash of the user. */
  notifyDue: (bucket: number): string => `notify-due:${bucket}`,
  /** Counter: invitations a user sent in the current hour. */
  invites: (userId: string): string => `invites:${userId}`,
  /**
   * On Redis Cluster, the slot a name lives in (its hash tag): a room's log, its channel, its
   * record, its message states and its members' read markers share the room, because a send or a
   * change appends, checks idempotency, sets state, moves the sender's marker and publishes in one
   * script on the room's shard; every other name is its own tag (or its `{tag}`, as `user-rooms:{u}`).
   */
  hashTag: (name: string): string => {
    const own = /^(?:room(?:-log|-states)?:([a-z0-9_-]+)$|read:([a-z0-9_-]+):)/.exec(name)
    return own?.[1] ?? own?.[2] ?? ownHashTag(name)
  },
  /** Idempotency key of a send. */
  clientMessage: (userId: string, clientMsgId: string): string => `msg:${userId}:${clientMsgId}`
} as const
