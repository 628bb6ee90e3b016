import { randomBytes } from 'node:crypto'
import { request } from 'node:http'

export interface AttemptOptions {
  /** Sec-WebSocket-Protocol header, as is; omitted when undefined. */
  protocol?: string
  origin?: string
  /** Extra query string (e.g. `token=...`). */
  query?: string
  timeoutMs?: number
}

/**
 * One WebSocket upgrade request on a fresh connection: resolves with the HTTP status (101 when the
 * server switched protocols; the socket is then destroyed at once) or 0 when no answer came.
 */
export async function attemptUpgrade (wsUrl: string, options: AttemptOptions = {}): Promise<number> {
  const url = new URL(wsUrl.replace(/^ws/, 'http'))
  if (options.query !== undefined) url.search = options.query
  const headers: Record<string, string> = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': randomBytes(16).toString('base64')
  }
  if (options.protocol !== undefined) headers['sec-websocket-protocol'] = options.protocol
  if (options.origin !== undefined) headers.origin = options.origin
  return await new Promise((resolve) => {
    const req = request(url, { headers, agent: false, timeout: options.timeoutMs ?? 10_000 })
    req.on('upgrade', (_res, socket) => {
      socket.destroy()
      resolve(101)
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => { req.destroy(); resolve(0) })
    req.on('error', () => resolve(0))
    req.end()
  })
}

/** Runs `count` tasks with at most `inFlight` at a time. */
export async function pool<T> (count: number, inFlight: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }))
  return results
}
