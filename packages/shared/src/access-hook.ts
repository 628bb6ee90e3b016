/**
 * The join hook's contract (ROOM_ACCESS_URL): chat asks the host product whether a user who is not
 * on a private room's roster may join it. Chat signs each request as hook-signature.ts says; the
 * host product verifies the signature (the typed client's `verifyAccessSignature` does it) and answers.
 */

/** The roles a host product may admit with (a room's owner is set by whoever made it). */
export const ACCESS_HOOK_ROLES = ['member', 'moderator'] as const
export type AccessHookRole = typeof ACCESS_HOOK_ROLES[number]

/** What chat POSTs as JSON. */
export interface AccessHookRequest {
  /**
   * Random, one per request (22 base64url characters): with it no two requests are the same, so
   * a receiver that keeps the `v1`s it saw refuses replays only, never a second instance (or a
   * retry) asking the same question within the same second.
   */
  id: string
  room: string
  user: { id: string, name: string }
}

/** The host product's 200 answer; anything else (another status, another shape) means no. */
export type AccessHookAnswer = { allow: true, role?: AccessHookRole } | { allow: false }
