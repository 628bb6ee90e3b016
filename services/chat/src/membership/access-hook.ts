import { randomBytes } from 'node:crypto'
import { ACCESS_HOOK_ROLES, type AccessHookRequest, type AccessHookRole, type Member } from '@webchat/shared'
import { signedPost } from '../hooks/http.js'

/** Who a member admitted by the hook was added by (their roster entry's addedBy). */
export const ACCESS_HOOK = 'access-hook'

export type HookOutcome = 'allow' | 'deny' | 'error' | 'timeout'

/** One call to the hook as metrics and the log see it: no secret, no signature, no URL. */
export interface HookCall { outcome: HookOutcome, ms: number, room: string, userId: string, status?: number, reason?: string }

export interface AccessHookOptions {
  url: string
  secret: string
  /** The longest a join waits on the hook. */
  timeoutMs: number
  /** How long a yes, and a no, is kept (0: not kept). Errors and timeouts are not kept. */
  allowCacheMs: number
  denyCacheMs: number
  /** Answers kept at most; the oldest go first. */
  maxEntries: number
  fetch?: typeof globalThis.fetch
  now?: () => number
  observe?: (call: HookCall) => void
}

/**
 * The host product's word on who may join its private rooms (ROOM_ACCESS_URL): a signed POST,
 * bounded in time, failing closed, its answers kept per (room, user) in this process.
 */
export interface AccessHook {
  /** The role the host product admits `user` to `room` with, or null: no, or no usable answer. */
  ask (room: string, user: Member): Promise<AccessHookRole | null>
  /** Drops what is kept (or being asked) for this user and room: their next join asks again. */
  forget (room: string, userId: string): void
}

type Answer = { role: AccessHookRole | null }

/** The role a 200 body grants, null for a no, undefined when it is not an answer (fails closed). */
export function parseAnswer (text: string): AccessHookRole | null | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { allow, role } = value as Record<string, unknown>
  if (role !== undefined && !(ACCESS_HOOK_ROLES as readonly unknown[]).includes(role)) return undefined
  if (allow === false) return null
  return allow === true ? (role as AccessHookRole | undefined) ?? 'member' : undefined
}

/** The most of a 200 body read: an answer is a few dozen bytes (hooks/http.ts says why there is a cap). */
export const MAX_ANSWER_BYTES = 16 * 1024

export function createAccessHook (options: AccessHookOptions): AccessHook {
  const { url, secret, timeoutMs, maxEntries } = options
  const fetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const observe = options.observe ?? (() => {})
  const kept = new Map<string, Answer & { until: number }>()
  const asking = new Map<string, Promise<Answer | undefined>>()
  const key = (room: string, userId: string): string => JSON.stringify([room, userId])

  const keep = (k: string, answer: Answer): void => {
    const ms = answer.role === null ? options.denyCacheMs : options.allowCacheMs
    if (ms <= 0) return
    kept.delete(k)
    kept.set(k, { ...answer, until: now() + ms })
    while (kept.size > maxEntries) kept.delete(kept.keys().next().value!)
  }

  /** One signed POST within timeoutMs: the answer, or none (a timeout, a status other than 200, a body that is no answer). */
  const request = async (room: string, user: Member): Promise<Answer | undefined> => {
    const body: AccessHookRequest = { id: randomBytes(16).toString('base64url'), room, user: { id: user.id, name: user.name } }
    const result = await signedPost({ url, secret, body: JSON.stringify(body), timeoutMs, maxBytes: MAX_ANSWER_BYTES, fetch, now })
    const call = { ms: result.ms, room, userId: user.id, ...(result.status === undefined ? {} : { status: result.status }) }
    if (result.reason === 'timeout') {
      observe({ outcome: 'timeout', ms: result.ms, room, userId: user.id })
      return undefined
    }
    const role = result.status === 200 && result.text !== undefined ? parseAnswer(result.text) : undefined
    if (role === undefined) {
      observe({ ...call, outcome: 'error', reason: result.reason ?? (result.status === 200 ? 'body' : 'status') })
      return undefined
    }
    observe({ ...call, outcome: role === null ? 'deny' : 'allow' })
    return { role }
  }

  return {
    async ask (room, user) {
      const k = key(room, user.id)
      const found = kept.get(k)
      if (found !== undefined && found.until > now()) return found.role
      kept.delete(k)
      // Joins of the same user and room at once (several tabs, a reconnect) share one request.
      let pending = asking.get(k)
      if (pending === undefined) {
        const started = request(room, user)
        pending = started
        asking.set(k, started)
        void started.then((answer) => {
          // Not kept when forgotten meanwhile: a removal must not be undone by an answer asked before it.
          if (asking.get(k) !== started) return
          asking.delete(k)
          if (answer !== undefined) keep(k, answer)
        })
      }
      return (await pending)?.role ?? null
    },

    forget (room, userId) {
      const k = key(room, userId)
      kept.delete(k)
      asking.delete(k)
    }
  }
}
