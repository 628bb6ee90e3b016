import { SUBPROTOCOL } from '@webchat/shared'
import { WebSocket } from 'ws'
import { PUBLIC_ORIGIN } from './stack.js'

export type Frame = Record<string, unknown> & { type: string }

/** A plain `ws` socket with every server frame recorded: for hostile input and exact close codes. */
export interface RawClient {
  readonly ws: WebSocket
  readonly frames: Frame[]
  /** Text payloads that were not JSON objects (there should be none). */
  readonly garbage: string[]
  readonly closed: Promise<{ code: number, reason: string, at: number }>
  /** Resolves with the first frame (from index `from`) matching; rejects on timeout or close. */
  waitFor (match: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>
  close (): void
}

export interface RawOptions {
  /** The token, offered as a subprotocol beside webchat.v1 (default), or in the query. */
  token?: string
  via?: 'protocol' | 'query'
  /** Origin header; null sends none. Default the public origin. */
  origin?: string | null
  protocols?: string[]
  headers?: Record<string, string>
}

/** The answer to an upgrade: 101 with an open client, or the refusal's status and JSON body. */
export type Upgrade = { status: 101, client: RawClient } | { status: number, body: unknown }

export async function upgrade (url: string, options: RawOptions = {}): Promise<Upgrade> {
  const target = new URL(url)
  let protocols = options.protocols ?? [SUBPROTOCOL]
  if (options.token !== undefined) {
    if (options.via === 'query') target.searchParams.set('token', options.token)
    else protocols = [...protocols, options.token]
  }
  const headers: Record<string, string> = { ...options.headers }
  const origin = options.origin === undefined ? PUBLIC_ORIGIN : options.origin
  if (origin !== null) headers.origin = origin
  const ws = new WebSocket(target, protocols, { headers, perMessageDeflate: false })
  const frames: Frame[] = []
  const garbage: string[] = []
  const wakers = new Set<() => void>()
  const wake = (): void => { for (const w of [...wakers]) w() }
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : String(data)
    try {
      const value = JSON.parse(text) as unknown
      const list = Array.isArray(value) ? value : [value]
      for (const item of list) {
        if (typeof item === 'object' && item !== null && typeof (item as Frame).type === 'string') frames.push(item as Frame)
        else garbage.push(text)
      }
    } catch {
      garbage.push(text)
    }
    wake()
  })
  ws.on('error', () => {})
  let isClosed = false
  const closed = new Promise<{ code: number, reason: string, at: number }>((resolve) => {
    ws.once('close', (code, reason) => {
      isClosed = true
      resolve({ code, reason: reason.toString(), at: Date.now() })
      wake()
    })
  })
  const client: RawClient = {
    ws,
    frames,
    garbage,
    closed,
    async waitFor (match, timeoutMs = 5000, from = 0) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = frames.slice(from).find(match)
        if (found !== undefined) return found
        const left = deadline - Date.now()
        if (left <= 0 || isClosed) throw new Error(`no matching frame within ${timeoutMs} ms (closed: ${String(isClosed)}); last: ${JSON.stringify(frames.slice(-3))}`)
        await new Promise<void>((resolve) => {
          const done = (): void => { clearTimeout(timer); wakers.delete(done); resolve() }
          const timer = setTimeout(done, left)
          wakers.add(done)
        })
      }
    },
    close () { ws.terminate() }
  }
  return await new Promise<Upgrade>((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, client }))
    ws.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => {
        let parsed: unknown
        try { parsed = JSON.parse(body) } catch { parsed = body }
        resolve({ status: response.statusCode ?? 0, body: parsed })
      })
    })
    ws.once('error', (err) => { if (ws.readyState !== WebSocket.OPEN) reject(err) })
  })
}

/** Opens a socket that must be accepted; throws with the refusal otherwise. */
export async function connectRaw (url: string, options: RawOptions = {}): Promise<RawClient> {
  const answer = await upgrade(url, options)
  if (answer.status !== 101 || !('client' in answer)) throw new Error(`upgrade refused: ${answer.status} ${JSON.stringify('body' in answer ? answer.body : '')}`)
  await answer.client.waitFor((f) => f.type === 'ready')
  return answer.client
}
