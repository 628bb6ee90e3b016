import { randomUUID } from 'node:crypto'
import type { ChatClient, Shown } from './chat-client.js'

/** One message a client sent, and what became of it. */
export interface SendRecord {
  client: string
  userId: string
  room: string
  clientMsgId: string
  sentAt: number
  /** The first `ack` (or own message seen in a catch-up): the message is stored. */
  ackAt?: number
  id?: string
  /** The first `error` frame about it (`unavailable`, `rate_limited`…), even if a retry succeeded. */
  firstErrorAt?: number
  firstErrorCode?: string
  /** The code it finally failed with (the client gave up). */
  failed?: string
}

export interface Traffic {
  readonly records: SendRecord[]
  stop (): void
  /** Resolves once every send was acked or failed; throws after `timeoutMs`. */
  settled (timeoutMs: number): Promise<void>
}

export interface TrafficOptions {
  clients: ChatClient[]
  room: string
  /** Messages a second, per client. */
  rate: number
  label?: string
}

/** When the text of a message says it was sent (`t=<ms>`), else undefined. */
export function sentAtOf (text: string): number | undefined {
  const match = / t=([0-9]{13})$/.exec(text)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/** Delivery latency of a shown message: receive time minus the send time in its text. */
export function latencyOf (shown: Shown): number | undefined {
  const sent = sentAtOf(shown.text)
  return sent === undefined ? undefined : shown.at - sent
}

/**
 * Every client sends `rate` messages a second to `room` (timers spread over the second), each
 * with a fresh `clientMsgId` and its send time in the text; records acks, first errors and
 * final failures.
 */
export function startTraffic (options: TrafficOptions): Traffic {
  const records: SendRecord[] = []
  const byId = new Map<string, SendRecord>()
  const timers: NodeJS.Timeout[] = []
  const unsubscribe: Array<() => void> = []
  const label = options.label ?? 'm'
  const period = 1000 / options.rate
  options.clients.forEach((client, i) => {
    unsubscribe.push(client.conn.on('error', (frame) => {
      const record = frame.ref === undefined ? undefined : byId.get(frame.ref)
      if (record !== undefined && record.firstErrorAt === undefined) {
        record.firstErrorAt = Date.now()
        record.firstErrorCode = frame.code
      }
    }))
    let seq = 0
    const tick = (): void => {
      const clientMsgId = `${label}-${client.name}-${seq++}-${randomUUID().slice(0, 8)}`
      const sentAt = Date.now()
      const record: SendRecord = { client: client.name, userId: client.userId() ?? '', room: options.room, clientMsgId, sentAt }
      records.push(record)
      byId.set(clientMsgId, record)
      client.conn.send(options.room, `${label} ${client.name} ${seq} t=${sentAt}`, { clientMsgId }).then((id) => {
        record.ackAt = Date.now()
        record.id = id
      }, (err: { code?: string }) => {
        record.failed = err.code ?? 'error'
      })
    }
    // Spread the clients over the period so that the load is even.
    const start = setTimeout(() => {
      tick()
      timers.push(setInterval(tick, period))
    }, (period * i) / options.clients.length)
    timers.push(start)
  })
  return {
    records,
    stop () {
      for (const timer of timers) clearTimeout(timer)
      timers.length = 0
      for (const off of unsubscribe.splice(0)) off()
    },
    async settled (timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        if (records.every((r) => r.ackAt !== undefined || r.failed !== undefined)) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const open = records.filter((r) => r.ackAt === undefined && r.failed === undefined)
      throw new Error(`${open.length} sends neither acked nor failed within ${timeoutMs} ms (e.g. ${open[0]?.clientMsgId ?? ''})`)
    }
  }
}
