/** Every numeric limit of the protocol, shared by servers and clients. */
export const LIMITS = {
  /** Largest WebSocket frame a client may send, in bytes. */
  frameBytes: 16 * 1024,
  /** Longest message text, in characters (code points). */
  textChars: 4000,
  /** Longest `clientMsgId`. */
  clientMsgIdChars: 64,
  /** Rooms one connection may have joined at once. */
  roomsPerConnection: 50,
  /** Sustained sends a second per connection, and the burst allowed above it. */
  sendsPerSecond: 10,
  sendBurst: 20,
  /** At most one typing event per user and room in this window. */
  typingIntervalMs: 2000,
  /** Bytes waiting for a socket before it is closed as too slow (4008). */
  slowConsumerBytes: 1024 * 1024,
  /** Server ping interval; a socket that misses the pong is terminated. */
  pingIntervalMs: 25_000,
  /** How long after `exp` a socket may stay open without a refresh. */
  tokenGraceMs: 25_000,
  /** How long a `clientMsgId` is remembered for idempotent sends. */
  idempotencyMs: 5 * 60_000,
  /** Messages returned by `join` without `since`, and the default history page. */
  historyPage: 50,
  /** Largest history page. */
  historyPageMax: 100,
  /** Display names, after trimming. */
  nameChars: 40,
  /** Email addresses (RFC 5321 path limit). */
  emailChars: 254,
  /** One-time codes. */
  codeDigits: 6,
  /** Opaque event payloads pushed to a user, serialized. */
  eventBytes: 8 * 1024
} as const
