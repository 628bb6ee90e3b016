import { type RawData, WebSocket } from 'ws'
import { EngineUnavailableError } from '@webchat/engine'
import { wireCodeOf } from '@webchat/service-kit'
import { type ClientFrame, type ErrorCode, parseClientFrame } from '@webchat/shared'
import type { Connection } from './connection.js'
import type { ChatDeps } from './deps.js'
import { handle } from './handlers/index.js'
import { refine } from './refusal.js'

const text = (data: RawData): string =>
  Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8')

/** What an error frame about this client frame refers to: its ref or clientMsgId, else its room. */
const refOf = (frame: ClientFrame): string | undefined =>
  'ref' in frame ? frame.ref : 'clientMsgId' in frame ? frame.clientMsgId : 'room' in frame ? frame.room : undefined

function refuse (deps: ChatDeps, conn: Connection, code: ErrorCode, message: string, ref?: string): void {
  deps.metrics.refused.labels(code).inc()
  conn.error(code, message, ref)
  conn.strike()
}

async function run (deps: ChatDeps, conn: Connection, frame: ClientFrame): Promise<void> {
  try {
    await conn.ready
  } catch {
    return
  }
  // Closed (or closing) meanwhile: a join now would outlive the socket.
  if (conn.ws.readyState !== WebSocket.OPEN) return
  try {
    await handle(deps, conn, frame)
  } catch (err) {
    const code = wireCodeOf(err)
    if (code !== undefined) {
      conn.error(code, (err as Error).message, refOf(frame))
    } else if (err instanceof EngineUnavailableError) {
      deps.log.warn({ err, frame: frame.type }, 'engine unavailable')
      conn.error('unavailable', 'storage is temporarily unavailable: retry', refOf(frame))
    } else {
      deps.log.error({ err, frame: frame.type }, 'frame handler failed')
      conn.error('internal', 'internal error', refOf(frame))
    }
  }
}

/** Handles one inbound WebSocket message. Never throws; every refusal is an `error` frame. */
export function dispatch (deps: ChatDeps, conn: Connection, data: RawData, isBinary: boolean): void {
  if (isBinary) {
    deps.metrics.framesIn.labels('invalid').inc()
    refuse(deps, conn, 'bad_frame', 'frames must be JSON text')
    return
  }
  const raw = text(data)
  const parsed = parseClientFrame(raw)
  if (!parsed.ok) {
    deps.metrics.framesIn.labels('invalid').inc()
    const refusal = refine(raw, parsed)
    refuse(deps, conn, refusal.code, refusal.message, refusal.ref)
    return
  }
  deps.metrics.framesIn.labels(parsed.frame.type).inc()
  if (!conn.frames.take()) {
    refuse(deps, conn, 'rate_limited', 'too many frames: slow down', refOf(parsed.frame))
    return
  }
  void run(deps, conn, parsed.frame)
}
