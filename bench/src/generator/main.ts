import type { JWK } from 'jose'
import { withDeadline } from '@webchat/engine'
import { pool } from '@webchat/testkit'
import { authenticates, protocolOf, type SystemName } from '../config.js'
import { emptyHistogram, pack, record, type Histogram } from '../lib/histogram.js'
import type { Reply, Request } from '../lib/ipc.js'
import type { BenchClient, ClientEvents } from './client.js'
import { createClock, markText, scanMarks, scanText, type Clock } from './marks.js'
import { emptyCounts, presenceWatch, type PresenceCounts } from './presence-watch.js'
import { realSio, realWebchat } from './real-clients.js'
import { reconnectCommands } from './reconnect.js'
import { sioClient } from './sio-client.js'
import { createMinter, type Minter } from './tokens.js'
import { webchatClient } from './webchat-client.js'

// A load-generator process: holds its share of the clients, sends at the asked rate, and measures
// what it receives (latency from the send mark, per step). Driven by the launcher over IPC.

export interface ClientSpec {
  url: string
  user: string
  sid: string
  room: string | null
  sender: boolean
  /** Use the real client library for this one. */
  real?: boolean
}

interface Slot { spec: ClientSpec, client: BenchClient | null, token: string | null, events?: ClientEvents }
/** Per 100 ms of send time: deliveries, of which slower than SLOW_MS, and the slowest (ms). */
type Timeline = Map<number, [number, number, number]>
interface StepStats { received: number, hist: Histogram, timeline: Timeline | null }
const TIMELINE_US = 100_000
const SLOW_MS = 10

let protocol: 'webchat' | 'socketio' = 'webchat'
/** The system's clients present tokens (webchat, socketio-auth). */
let authenticated = true
let clock: Clock = createClock(0)
let minter: Minter | undefined
let origin = ''
let slots: Slot[] = []
/** The first slot the next `open` opens (those before it are open already). */
let openFrom = 0
let open = 0
let acks = 0
let errors: Record<string, number> = {}
const steps = new Map<number, StepStats>()
/** The setup's presence frames, while `open` was asked to watch them (until `presence` is asked). */
let presence: PresenceCounts | null = null

/** When the message being scanned arrived: read at its first mark, so that a frame without one costs no clock read. */
let arrivedUs = -1
const found = (step: number, sentUs: number): void => {
  const stats = steps.get(step)
  if (stats === undefined) return
  if (arrivedUs < 0) arrivedUs = clock.nowUs()
  stats.received++
  const ms = (arrivedUs - sentUs) / 1000
  record(stats.hist, ms)
  if (stats.timeline !== null) {
    const slot = Math.floor(sentUs / TIMELINE_US)
    let t = stats.timeline.get(slot)
    if (t === undefined) stats.timeline.set(slot, t = [0, 0, 0])
    t[0]++
    if (ms > SLOW_MS) t[1]++
    if (ms > t[2]) t[2] = ms
  }
}

const events: ClientEvents = {
  onData (data) { arrivedUs = -1; scanMarks(data, found) },
  onAck () { acks++ },
  onError (code) { errors[code] = (errors[code] ?? 0) + 1 },
  onClose () { open-- }
}
const onText = (text: string): void => { arrivedUs = -1; scanText(text, found) }

/**
 * While the setup is watched, a connection's frames also go to its presence watch, through events
 * of its own that `presence` puts back to the shared ones (the delivery path is then as before).
 */
function eventsOf (slot: Slot): ClientEvents {
  if (presence === null || protocol !== 'webchat') return events
  const counts = presence
  const watch = presenceWatch(counts)
  slot.events = { ...events, onData (data) { events.onData(data); if (presence !== null) watch(data) } }
  return slot.events
}

function makeClient (slot: Slot): BenchClient {
  const { spec } = slot
  if (spec.real !== true) return protocol === 'socketio' ? sioClient(spec.url, events, slot.token ?? undefined) : webchatClient(spec.url, slot.token!, origin, eventsOf(slot))
  const real = protocol === 'socketio'
    ? realSio(spec.url, onText, authenticated ? async () => await minter!.mint(spec.user, spec.sid) : undefined)
    : realWebchat(spec.url, origin, async () => await minter!.mint(spec.user, spec.sid), onText)
  // The libraries close on their own schedule: count this one closed when asked to close.
  return { ...real, close () { real.close(); events.onClose() } }
}

const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  await withDeadline(promise, ms, { expired: () => new Error(`${what} timed out after ${ms} ms`) })

async function joinAll (inFlight: number, timeoutMs: number): Promise<{ joinFailed: number, joinMs: number }> {
  const started = performance.now()
  let joinFailed = 0
  const joining = slots.filter((s) => s.client !== null && s.spec.room !== null)
  await pool(joining.length, inFlight, async (i) => {
    const slot = joining[i]!
    try {
      await withTimeout(slot.client!.join(slot.spec.room!), timeoutMs, 'join')
    } catch {
      joinFailed++
    }
  })
  return { joinFailed, joinMs: performance.now() - started }
}

const commands: Record<string, (args: never) => Promise<unknown> | unknown> = {
  async init (args: { system: SystemName, epochUs: number, privateJwk: JWK, kid: string, issuer: string, origin: string }) {
    protocol = protocolOf(args.system)
    authenticated = authenticates(args.system)
    clock = createClock(args.epochUs)
    origin = args.origin
    minter = await createMinter(args.privateJwk, args.kid, args.issuer)
    return { pid: process.pid }
  },

  /**
   * Mints the tokens of the next `open` (systems that authenticate), timed apart from connecting.
   * `keep`: the connections opened so far stay, and the next `open` opens only these.
   */
  async prepare (args: { specs: ClientSpec[], keep?: boolean }) {
    const started = performance.now()
    const added: Slot[] = args.specs.map((spec) => ({ spec, client: null, token: null }))
    openFrom = args.keep === true ? slots.length : 0
    slots = args.keep === true ? [...slots, ...added] : added
    if (authenticated) {
      for (const slot of added) if (slot.spec.real !== true) slot.token = await minter!.mint(slot.spec.user, slot.spec.sid)
    }
    return { minted: authenticated ? added.length : 0, mintMs: performance.now() - started }
  },

  /**
   * Opens the prepared connections, `inFlight` handshakes at a time, then joins their rooms (unless
   * `join` is false: then the `join` command does). `watchPresence`: count the presence frames of
   * the setup (see `presence`).
   */
  async open (args: { inFlight: number, joinInFlight: number, timeoutMs: number, join?: boolean, watchPresence?: boolean }) {
    errors = {}
    presence = args.watchPresence === true ? emptyCounts() : null
    let failed = 0
    const firstUs = clock.nowUs()
    let lastUs = firstUs
    const fresh = slots.slice(openFrom)
    await pool(fresh.length, args.inFlight, async (i) => {
      const slot = fresh[i]!
      slot.client = makeClient(slot)
      open++
      try {
        await withTimeout(slot.client.opened, args.timeoutMs, 'open')
        lastUs = clock.nowUs()
      } catch {
        failed++
        slot.client.close()
        slot.client = null
      }
    })
    const joined = args.join === false ? { joinFailed: 0, joinMs: 0 } : await joinAll(args.joinInFlight, args.timeoutMs)
    return { opened: fresh.length - failed, failed, firstUs, lastUs, ...joined, errors }
  },

  /** Joins the open connections to their rooms, `joinInFlight` at a time (after `open` with `join: false`). */
  async join (args: { joinInFlight: number, timeoutMs: number }) {
    return await joinAll(args.joinInFlight, args.timeoutMs)
  },

  /** The presence counts of the watched setup so far; `done` ends the watch. */
  presence (args: { done?: boolean }) {
    const counts = presence ?? emptyCounts()
    if (args.done === true) {
      presence = null
      for (const slot of slots) if (slot.events !== undefined) slot.events.onData = events.onData
    }
    return { ...counts, quietMs: counts.lastAt === 0 ? null : performance.now() - counts.lastAt }
  },

  /**
   * Sends `rate` messages a second for `durationMs` from the first `senders` sender slots, round
   * robin, evenly spaced. `phase` (0 to 1) shifts this generator's schedule by that part of its
   * interval, so that the generators' sends interleave rather than leave together.
   */
  async step (args: { step: number, rate: number, durationMs: number, senders: number, phase?: number, timeline?: boolean }) {
    steps.set(args.step, { received: 0, hist: emptyHistogram(), timeline: args.timeline === true ? new Map() : null })
    acks = 0
    errors = {}
    const senders = slots.filter((s) => s.spec.sender && s.client !== null && s.spec.room !== null).slice(0, args.senders)
    if (senders.length === 0 || args.rate <= 0) {
      await new Promise((resolve) => setTimeout(resolve, args.durationMs))
      return { sent: 0, ms: args.durationMs }
    }
    const started = performance.now()
    const phase = args.phase ?? 0
    let sent = 0
    let next = 0
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const elapsed = Math.min(performance.now() - started, args.durationMs)
        const due = Math.floor((elapsed / 1000) * args.rate + phase) - sent
        for (let i = 0; i < due; i++) {
          const slot = senders[next]!
          next = (next + 1) % senders.length
          slot.client!.send(slot.spec.room!, markText(args.step, clock.nowUs()))
          sent++
        }
        if (elapsed >= args.durationMs) { resolve(); return }
        // Woken when the next message is due, not polled: at the lowest rates a poll every few ms
        // cost the generator more than the deliveries it measures.
        const nextAt = Math.min(args.durationMs, ((sent + 1 - phase) / args.rate) * 1000)
        setTimeout(tick, Math.max(1, Math.ceil(nextAt - (performance.now() - started))))
      }
      tick()
    })
    return { sent, ms: performance.now() - started }
  },

  progress (args: { step: number }) {
    return { received: steps.get(args.step)?.received ?? 0 }
  },

  collect (args: { step: number }) {
    const stats = steps.get(args.step) ?? { received: 0, hist: emptyHistogram(), timeline: null }
    steps.delete(args.step)
    return { received: stats.received, hist: pack(stats.hist), acks, errors, timeline: stats.timeline === null ? undefined : [...stats.timeline] }
  },

  cpu () {
    const usage = process.cpuUsage()
    return { cpuSeconds: (usage.user + usage.system) / 1e6, open }
  },

  async close (args: { timeoutMs: number }) {
    for (const slot of slots) slot.client?.close()
    const deadline = Date.now() + args.timeoutMs
    while (open > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    const left = open
    slots = []
    open = 0
    return { left }
  }
}

Object.assign(commands, reconnectCommands({ origin: () => origin, clock: () => clock }))

process.on('message', (message: Request) => {
  const command = commands[message.command]
  const reply = (r: Omit<Reply, 'id'>): void => { process.send?.({ id: message.id, ...r }) }
  if (command === undefined) { reply({ ok: false, error: `unknown command ${message.command}` }); return }
  Promise.resolve()
    .then(() => command(message.args as never))
    .then((result) => reply({ ok: true, result }), (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }))
})
process.on('disconnect', () => process.exit(0))
// An exit of its own on the launcher's SIGTERM, so that a profiled generator writes its profile.
process.on('SIGTERM', () => process.exit(0))
