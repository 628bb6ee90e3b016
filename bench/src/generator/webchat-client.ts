import { randomBytes } from 'node:crypto'
import { SUBPROTOCOL } from '@webchat/shared'
import { type BenchClient, type ClientEvents, connectFailures } from './client.js'
import { openWire } from './wire.js'

const ACK = Buffer.from('"type":"ack"')
const TYPE = Buffer.from('{"type":"')
/** Whether `data` is one frame of the type starting with `initial` (chat writes `type` first): read in JS, no scan. */
const isSingle = (data: Buffer, initial: number): boolean => {
  if (data[TYPE.length] !== initial) return false
  for (let i = 0; i < TYPE.length; i++) if (data[i] !== TYPE[i]) return false
  return true
}
const MESSAGE_INITIAL = 0x6d // m
const ERROR = Buffer.from('"type":"error"')
/** clientMsgIds are unique per user across all its connections (they are idempotency keys). */
const idPrefix = randomBytes(4).toString('hex')
let sequence = 0

interface ControlFrame { type?: string, room?: string, code?: string, ref?: string, ticket?: unknown }

export interface WebchatBenchClient extends BenchClient {
  /** The reconnect ticket of the newest `ready` or `refreshed` frame, if the server gave one. */
  ticket (): string | null
}

/**
 * A webchat connection speaking the protocol directly over the bench's WebSocket (wire.ts, the
 * same as the Socket.IO client's): a token (or reconnect ticket) as a subprotocol beside
 * webchat.v1, an allowed Origin, JSON frames; control frames are parsed, deliveries only scanned.
 */
export function webchatClient (url: string, credential: string, origin: string, events: ClientEvents): WebchatBenchClient {
  let ready = false
  let ticket: string | null = null
  const joins = new Map<string, { resolve: () => void, reject: (err: Error) => void }>()
  let readyWaiter: { resolve: () => void, reject: (err: Error) => void } | undefined
  const opened = new Promise<void>((resolve, reject) => { readyWaiter = { resolve, reject } })
  opened.catch(() => {})

  const control = (frame: ControlFrame): void => {
    if (frame.type === 'ready' || frame.type === 'refreshed') {
      if (typeof frame.ticket === 'string') ticket = frame.ticket
      if (frame.type === 'ready') { ready = true; readyWaiter?.resolve() }
    } else if (frame.type === 'joined' && frame.room !== undefined) {
      joins.get(frame.room)?.resolve()
      joins.delete(frame.room)
    } else if (frame.type === 'error') {
      events.onError(frame.code ?? 'error')
      const waiter = frame.ref === undefined ? undefined : joins.get(frame.ref)
      if (waiter !== undefined && frame.ref !== undefined) { joins.delete(frame.ref); waiter.reject(new Error(frame.code)) }
    }
  }

  const ws = openWire(url, { protocols: [SUBPROTOCOL, credential], origin }, {
    onOpen () {},
    onMessage (data) {
      events.onData(data)
      const live = ready && joins.size === 0
      if (live) {
        // Live: a lone message frame holds neither; otherwise count acks by scanning, and parse
        // only when an error frame is in there.
        if (isSingle(data, MESSAGE_INITIAL)) return
        for (let at = data.indexOf(ACK); at !== -1; at = data.indexOf(ACK, at + ACK.length)) events.onAck()
        if (data.indexOf(ERROR) === -1) return
      }
      let value: unknown
      try { value = JSON.parse(data.toString('utf8')) } catch { return }
      for (const frame of (Array.isArray(value) ? value : [value]) as Array<ControlFrame | null>) {
        if (frame === null || typeof frame !== 'object') continue
        if (frame.type === 'ack') { if (!live) events.onAck(); continue }
        control(frame)
      }
    },
    ...connectFailures(events, (err) => readyWaiter?.reject(err)),
    onClose (code) {
      if (!ready) readyWaiter?.reject(new Error(`closed before ready: ${code}`))
      for (const waiter of joins.values()) waiter.reject(new Error(`closed: ${code}`))
      joins.clear()
      events.onClose(code)
    }
  })

  return {
    opened,
    async join (room) {
      await new Promise<void>((resolve, reject) => {
        joins.set(room, { resolve, reject })
        ws.send(JSON.stringify({ type: 'join', room }))
      })
    },
    send (room, text) {
      ws.send(`{"type":"send","room":"${room}","text":"${text}","clientMsgId":"${idPrefix}-${sequence++}"}`)
    },
    close () { ws.close(1000) },
    isOpen: () => ws.isOpen(),
    ticket: () => ticket
  }
}
