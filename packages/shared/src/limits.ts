/** Every numeric limit of the protocol, shared by servers and clients. */
export const LIMITS = {
  /** Largest WebSocket frame a client may send, in bytes. */
  frameBytes: 16 * 1024,
  /** Longest message text, in characters (code points). */
  textChars: 4000,
  /** Longest `clientMsgId`. */
  clientMsgIdChars: 64,
  /** Longest user id. */
  userIdChars: 64,
  /** Rooms one connection may have joined at once. */
  roomsPerConnection: 50,
  /** Sustained sends a second per connection, and the burst allowed above it. */
  sendsPerSecond: 10,
  sendBurst: 20,
  /**
   * Sustained sends a second per user on one server instance, over all their connections, and the
   * burst: more tabs do not make a person write faster, and each send keeps an idempotency key.
   */
  userSendsPerSecond: 20,
  userSendBurst: 40,
  /** Sustained frames a second per connection (of any type), and the burst allowed above it. */
  framesPerSecond: 50,
  frameBurst: 100,
  /**
   * Bytes of room log a user's `join` and `history` answers and HTTP history may read a second on
   * one server instance, over all their sockets, and the burst above it (small: a burst of answers
   * at once is what other users feel). The answers are charged after they were read; past it such a
   * request is refused with `rate_limited` until the debt is paid back, so that nobody makes the
   * server and its store read more than this, however they rejoin.
   */
  replyBytesPerSecond: 256 * 1024,
  replyBytesBurst: 256 * 1024,
  /** At most one typing event per user and room in this window. */
  typingIntervalMs: 2000,
  /** Bytes waiting for a socket before it is closed as too slow (4008). */
  slowConsumerBytes: 1024 * 1024,
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
  /**
   * Digits of a one-time sign-in code: 10^8 values, so that even an address's 50 checked guesses an
   * hour all year (438,000) have about a 0.44 % chance (docs/security.md).
   */
  codeDigits: 8,
  /** Room titles and topics, in characters. */
  roomTitleChars: 100,
  roomTopicChars: 500,
  /** A client's reference for a request it wants answered (`done` or `error` carry it back). */
  refChars: 64,
  /** Opaque event payloads pushed to a user, serialized. */
  eventBytes: 8 * 1024,
  /** Users one message may mention by id (besides `@room`). */
  mentionsPerMessage: 20,
  /** Different emoji on one message, over all its reactions. */
  reactionsPerMessage: 20,
  /** Different emoji one user may put on one message. */
  reactionsPerUser: 5,
  /** Longest reaction, in UTF-16 code units (a family or a flag with modifiers fits). */
  reactionChars: 32,
  /** Preview of a message in the inbox and above a reply, in characters (code points). */
  previewChars: 120,
  /** Edits of one message: each is kept in the log until the message goes. */
  editsPerMessage: 50,
  /** The reason a before-send hook gives for refusing a message, in characters (code points). */
  beforeSendReasonChars: 200
} as const
