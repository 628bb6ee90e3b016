import type { JWK } from 'jose'
import { withDeadline } from '@webchat/engine'
import { pool } from '@webchat/testkit'
import { protocolOf, type SystemName } from '../config.js'
import { emptyHistogram, pack, record, type Histogram } from '../lib/histogram.js'
import type { Reply, Request } from '../lib/ipc.js'
import type { BenchClient, ClientEvents } from './client.js'
import { createClock, markText, scanMarks, scanText, type Clock } from './marks.js'
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

interface Slot { spec: ClientSpec, client: BenchClient | null, token: string | null }
interface StepStats { received: number, hist: Histogram }

let protocol: 'webchat' | 'socketio' = 'webchat'
let clock: Clock = createClock(0)
let minter: Minter | undefined
let origin = ''
let slots: Slot[] = []
let open = 0
let acks = 0
let errors: Record<string, number> = {}
const steps = new Map<number, StepStats>()

/** When the message being scanned arrived: read at its first mark, so that a frame without one costs no clock read. */
let arrivedUs = -1
const found = (step: number, sentUs: number): void => {
  const stats = steps.get(step)
  if (stats === undefined) return
  if (arrivedUs < 0) arrivedUs = clock.nowUs()
  stats.received++
  record(stats.hist, (arrivedUs - sentUs) / 1000)
}

const events: ClientEvents = {
  onData (data) { arrivedUs = -1; scanMarks(data, found) },
  onAck () { acks++ },
  onError (code) { errors[code] = (errors[code] ?? 0) + 1 },
  onClose () { open-- }
}
const onText = (text: string): void => { arrivedUs = -1; scanText(text, found) }

function makeClient (slot: Slot): BenchClient {
  const { spec } = slot
  if (spec.real !== true) return protocol === 'socketio' ? sioClient(spec.url, events) : webchatClient(spec.url, slot.token!, origin, events)
  const real = protocol === 'socketio'
    ? realSio(spec.url, onText)
    : realWebchat(spec.url, origin, async () => await minter!.mint(spec.user, spec.sid), onText)
  // The libraries close on their own schedule: count this one closed when asked to close.
  return { ...real, close () { real.close(); events.onClose() } }
}

const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  await withDeadline(promise, ms, { expired: () => new Error(`${what} timed out after ${ms} ms`) })

const commands: Record<string, (args: never) => Promise<unknown> | unknown> = {
  async init (args: { system: SystemName, epochUs: number, privateJwk: JWK, kid: string, issuer: string, origin: string }) {
    protocol = protocolOf(args.system)
    clock = createClock(args.epochUs)
    origin = args.origin
    minter = await createMinter(args.privateJwk, args.kid, args.issuer)
    return { pid: process.pid }
  },

  /** Mints the tokens of the next `open` (webchat), timed apart from connecting. */
  async prepare (args: { specs: ClientSpec[] }) {
    const started = performance.now()
    slots = args.specs.map((spec) => ({ spec, client: null, token: null }))
    if (protocol === 'webchat') {
      for (const slot of slots) if (slot.spec.real !== true) slot.token = await minter!.mint(slot.spec.user, slot.spec.sid)
    }
    return { minted: protocol === 'webchat' ? slots.length : 0, mintMs: performance.now() - started }
  },

  /** Opens the prepared connections, `inFlight` handshakes at a time, then joins their rooms. */
  async open (args: { inFlight: number, joinInFlight: number, timeoutMs: number }) {
    errors = {}
    let failed = 0
    const firstUs = clock.nowUs()
    let lastUs = firstUs
    await pool(slots.length, args.inFlight, async (i) => {
      const slot = slots[i]!
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
    const joinStarted = performance.now()
    let joinFailed = 0
    const joining = slots.filter((s) => s.client !== null && s.spec.room !== null)
    await pool(joining.length, args.joinInFlight, async (i) => {
      const slot = joining[i]!
      try {
        await withTimeout(slot.client!.join(slot.spec.room!), args.timeoutMs, 'join')
      } catch {
        joinFailed++
      }
    })
    return {
      opened: slots.length - failed, failed, joinFailed, firstUs, lastUs,
      joinMs: performance.now() - joinStarted, errors
    }
  },

  /**
   * Sends `rate` messages a second for `durationMs` from the first `senders` sender slots, round
   * robin, evenly spaced. `phase` (0 to 1) shifts this generator's schedule by that part of its
   * interval, so that the generators' sends interleave rather than leave together.
   */
  async step (args: { step: number, rate: number, durationMs: number, senders: number, phase?: number }) {
    steps.set(args.step, { received: 0, hist: emptyHistogram() })
    acks = 0
    errors = {}
    const senders = slots.filter((s) => s.spec.sender && s.client !== null && s.spec.room !== null).slice(0, args.senders)
    if (senders.length === 0 || args.rate <= 0) {
      await new Promise((resolve) => setTimeout(resolve, args.durationMs))
      return { sent: 0, ms: args.durationMs }
    }
    const started = performance.now()
    let sent = 0
    let next = 0
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const elapsed = Math.min(performance.now() - started, args.durationMs)
        const due = Math.floor((elapsed / 1000) * args.rate + (args.phase ?? 0)) - sent
        for (let i = 0; i < due; i++) {
          const slot = senders[next]!
          next = (next + 1) % senders.length
          slot.client!.send(slot.spec.room!, markText(args.step, clock.nowUs()))
          sent++
        }
        if (elapsed >= args.durationMs) { clearInterval(timer); resolve() }
      }
      const timer = setInterval(tick, 5)
    })
    return { sent, ms: performance.now() - started }
  },

  progress (args: { step: number }) {
    return { received: steps.get(args.step)?.received ?? 0 }
  },

  collect (args: { step: number }) {
    const stats = steps.get(args.step) ?? { received: 0, hist: emptyHistogram() }
    steps.delete(args.step)
    return { received: stats.received, hist: pack(stats.hist), acks, errors }
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
