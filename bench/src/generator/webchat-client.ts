import { WebSocket } from 'ws'
import { randomBytes } from 'node:crypto'
import { SUBPROTOCOL } from '@webchat/shared'
import type { BenchClient, ClientEvents } from './client.js'

const ACK = Buffer.from('"type":"ack"')
const ERROR = Buffer.from('"type":"error"')
/** clientMsgIds are unique per user across all its connections (they are idempotency keys). */
const idPrefix = randomBytes(4).toString('hex')
let sequence = 0

/**
 * A webchat connection speaking the protocol directly over `ws` (the same library and options as
 * the Socket.IO client below): token as a subprotocol beside webchat.v1, an allowed Origin, JSON
 * frames; control frames are parsed, deliveries only scanned.
 */
export function webchatClient (url: string, token: string, origin: string, events: ClientEvents): BenchClient {
  const ws = new WebSocket(url, [SUBPROTOCOL, token], {
    headers: { origin },
    perMessageDeflate: false,
    skipUTF8Validation: true,
    handshakeTimeout: 30_000
  })
  let ready = false
  const joins = new Map<string, { resolve: () => void, reject: (err: Error) => void }>()
  let readyWaiter: { resolve: () => void, reject: (err: Error) => void } | undefined
  const opened = new Promise<void>((resolve, reject) => { readyWaiter = { resolve, reject } })
  opened.catch(() => {})

  const control = (frame: { type?: string, room?: string, code?: string, ref?: string }): void => {
    if (frame.type === 'ready') { ready = true; readyWaiter?.resolve() } else if (frame.type === 'joined' && frame.room !== undefined) {
      joins.get(frame.room)?.resolve()
      joins.delete(frame.room)
    } else if (frame.type === 'error') {
      events.onError(frame.code ?? 'error')
      const waiter = frame.ref === undefined ? undefined : joins.get(frame.ref)
      if (waiter !== undefined && frame.ref !== undefined) { joins.delete(frame.ref); waiter.reject(new Error(frame.code)) }
    }
  }

  ws.on('message', (data: Buffer) => {
    events.onData(data)
    const live = ready && joins.size === 0
    if (live) {
      // Live: count acks by scanning, parse only when an error frame is in there.
      for (let at = data.indexOf(ACK); at !== -1; at = data.indexOf(ACK, at + ACK.length)) events.onAck()
      if (data.indexOf(ERROR) === -1) return
    }
    let value: unknown
    try { value = JSON.parse(data.toString('utf8')) } catch { return }
    for (const frame of (Array.isArray(value) ? value : [value]) as Array<Parameters<typeof control>[0] | null>) {
      if (frame === null || typeof frame !== 'object') continue
      if (frame.type === 'ack') { if (!live) events.onAck(); continue }
      control(frame)
    }
  })
  ws.on('unexpected-response', (_request, response) => {
    events.onError(`http_${response.statusCode ?? 0}`)
    readyWaiter?.reject(new Error(`upgrade refused: ${response.statusCode ?? 0}`))
    response.resume()
    ws.terminate()
  })
  ws.on('error', (err: Error & { code?: string }) => {
    events.onError(err.code ?? 'socket_error')
    readyWaiter?.reject(err)
  })
  ws.on('close', (code) => {
    if (!ready) readyWaiter?.reject(new Error(`closed before ready: ${code}`))
    for (const waiter of joins.values()) waiter.reject(new Error(`closed: ${code}`))
    joins.clear()
    events.onClose()
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
      if (ws.readyState !== WebSocket.OPEN) return
      ws.send(`{"type":"send","room":"${room}","text":"${text}","clientMsgId":"${idPrefix}-${sequence++}"}`)
    },
    close () { ws.close(1000) },
    isOpen: () => ws.readyState === WebSocket.OPEN
  }
}
