import { Agent, request } from 'node:http'
import { pool } from '@webchat/testkit'
import type { ClientEvents } from './client.js'
import type { Clock } from './marks.js'
import { webchatClient, type WebchatBenchClient } from './webchat-client.js'

/**
 * The generator's half of the reconnect storm: clients signed in to the auth service (a session
 * cookie each) connect to one instance; once armed, each whose socket closes reconnects to the
 * other at once, with a fresh token from the auth service (`POST /auth/token` with its cookie, as
 * clients do today) or with the ticket of its last `ready`. At most `inFlight` reconnects are
 * under way at a time (the connect storm's bound), the same for both.
 */
export type ReconnectVariant = 'token' | 'ticket'

interface Slot { cookie: string, client: WebchatBenchClient | null, queued: boolean }

export interface ReconnectEnv { origin: () => string, clock: () => Clock }

export function reconnectCommands (env: ReconnectEnv): Record<string, (args: never) => Promise<unknown> | unknown> {
  let slots: Slot[] = []
  let authUrl = ''
  let agent = new Agent({ keepAlive: true })
  let errors: Record<string, number> = {}
  const closeCodes: Record<string, number> = {}
  let armed: { variant: ReconnectVariant, to: string, inFlight: number, timeoutMs: number } | null = null
  const queue: Slot[] = []
  let active = 0
  let pendingReconnects = 0
  let outcome = { reconnected: 0, failed: 0, firstUs: 0, lastUs: 0 }
  let settled: (() => void) | null = null

  const count = (into: Record<string, number>, code: string): void => { into[code] = (into[code] ?? 0) + 1 }

  /** A chat token from the auth service for this browser's session. */
  const fetchToken = async (cookie: string): Promise<string> => await new Promise((resolve, reject) => {
    const req = request(`${authUrl}/auth/token`, { method: 'POST', agent, headers: { cookie, origin: env.origin(), 'content-length': '0' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        if (res.statusCode !== 200) { reject(new Error(`auth_${res.statusCode ?? 0}`)); return }
        try {
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string }).token)
        } catch {
          reject(new Error('auth_unreadable'))
        }
      })
    })
    req.on('error', (err: Error & { code?: string }) => reject(new Error(err.code ?? 'auth_error')))
    req.end()
  })

  const connect = async (slot: Slot, url: string, credential: string, timeoutMs: number): Promise<void> => {
    const events: ClientEvents = {
      onData () {},
      onAck () {},
      onError (code) { count(errors, code) },
      onClose (code) { if (slot.client === client) closed(slot, code ?? 1006) }
    }
    const client = webchatClient(url, credential, env.origin(), events)
    slot.client = client
    const timer = setTimeout(() => client.close(), timeoutMs)
    try {
      await client.opened
    } finally {
      clearTimeout(timer)
    }
  }

  const settle = (): void => { if (pendingReconnects === 0) settled?.() }

  const reconnectOne = async (slot: Slot): Promise<void> => {
    const plan = armed!
    const previous = slot.client
    slot.client = null
    if (outcome.firstUs === 0) outcome.firstUs = env.clock().nowUs()
    try {
      const credential = plan.variant === 'ticket' ? previous?.ticket() ?? null : await fetchToken(slot.cookie)
      if (credential === null) throw new Error('no_ticket')
      await connect(slot, plan.to, credential, plan.timeoutMs)
      outcome.reconnected++
      outcome.lastUs = env.clock().nowUs()
    } catch (err) {
      outcome.failed++
      count(errors, err instanceof Error ? err.message.replace(/[^\w]+/g, '_').slice(0, 40) : 'failed')
    }
  }

  const pump = (): void => {
    while (armed !== null && active < armed.inFlight && queue.length > 0) {
      const slot = queue.shift()!
      active++
      void reconnectOne(slot).finally(() => { active--; pendingReconnects--; pump(); settle() })
    }
  }

  function closed (slot: Slot, code: number): void {
    count(closeCodes, String(code))
    if (armed === null || slot.queued) return
    slot.queued = true
    queue.push(slot)
    pump()
  }

  return {
    /** Signs every slot's browser in to chat (a token from the auth service) on `url`, `inFlight` at a time. */
    async reconnectOpen (args: { cookies: string[], authUrl: string, url: string, inFlight: number, timeoutMs: number }) {
      authUrl = args.authUrl
      agent = new Agent({ keepAlive: true, maxSockets: args.inFlight })
      errors = {}
      slots = args.cookies.map((cookie) => ({ cookie, client: null, queued: false }))
      let failed = 0
      await pool(slots.length, args.inFlight, async (i) => {
        const slot = slots[i]!
        try {
          await connect(slot, args.url, await fetchToken(slot.cookie), args.timeoutMs)
        } catch (err) {
          failed++
          count(errors, err instanceof Error ? err.message.replace(/[^\w]+/g, '_').slice(0, 40) : 'failed')
        }
      })
      const withTicket = slots.filter((s) => (s.client?.ticket() ?? null) !== null).length
      return { opened: slots.length - failed, failed, withTicket, errors }
    },

    /** From now on a slot whose socket closes reconnects to `to` (its first close only). */
    reconnectArm (args: { variant: ReconnectVariant, to: string, inFlight: number, timeoutMs: number }) {
      armed = args
      errors = {}
      outcome = { reconnected: 0, failed: 0, firstUs: 0, lastUs: 0 }
      for (const slot of slots) slot.queued = false
      pendingReconnects = slots.filter((s) => s.client !== null).length
      return { armed: pendingReconnects }
    },

    /** Resolves once every armed slot reconnected or failed (or `timeoutMs` passed). */
    async reconnectWait (args: { timeoutMs: number }) {
      if (pendingReconnects > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, args.timeoutMs)
          settled = () => { clearTimeout(timer); resolve() }
        })
      }
      settled = null
      armed = null
      return { ...outcome, left: pendingReconnects, errors, closeCodes }
    },

    async reconnectClose () {
      armed = null
      for (const slot of slots) slot.client?.close()
      slots = []
      agent.destroy()
      return {}
    }
  }
}
