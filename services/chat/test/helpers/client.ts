import { WebSocket } from 'ws'

export type Frame = Record<string, unknown> & { type: string }

export interface ConnectOptions {
  /** How the token travels (default: subprotocol). */
  via?: 'protocol' | 'query'
  origin?: string
  protocols?: string[]
}

/** A refused upgrade: the HTTP status and JSON body. */
export class UpgradeRefused extends Error {
  constructor (readonly status: number, readonly body: Record<string, unknown>) {
    super(`upgrade refused with ${status}`)
  }
}

/** The refusal of an upgrade that must be refused; fails when it is accepted. */
export async function refusal (upgrade: Promise<unknown>): Promise<UpgradeRefused> {
  try {
    await upgrade
  } catch (err) {
    if (err instanceof UpgradeRefused) return err
    throw err
  }
  throw new Error('the upgrade was accepted')
}

/** A WebSocket test client: records every frame, waits for predicates with bounded timeouts. */
export interface TestClient {
  ws: WebSocket
  frames: Frame[]
  /** How many WebSocket messages carried those frames (fewer when several came as one array). */
  messages (): number
  protocol: string
  /** Resolves with the first frame (seen or future) matching, rejects after `timeoutMs`. */
  waitFor (predicate: (frame: Frame) => boolean, timeoutMs?: number, what?: string): Promise<Frame>
  /** Frames matching, waiting until at least `count` arrived. */
  waitForCount (predicate: (frame: Frame) => boolean, count: number, timeoutMs?: number): Promise<Frame[]>
  send (frame: unknown): void
  closed: Promise<{ code: number, reason: string }>
  close (): Promise<void>
}

export async function connect (url: string, token: string | undefined, options: ConnectOptions = {}): Promise<TestClient> {
  const target = new URL(url)
  let protocols = options.protocols ?? ['webchat.v1']
  if (token !== undefined) {
    if (options.via === 'query') target.searchParams.set('token', token)
    else protocols = [...protocols, token]
  }
  const headers: Record<string, string> = {}
  if (options.origin !== undefined) headers.origin = options.origin
  const ws = new WebSocket(target, protocols, { headers })
  const frames: Frame[] = []
  let messages = 0
  const waiters = new Set<() => void>()
  ws.on('message', (data) => {
    // One WebSocket message holds a frame, or an array of frames sent together (ServerPayload).
    messages++
    const payload = JSON.parse(String(data)) as Frame | Frame[]
    frames.push(...(Array.isArray(payload) ? payload : [payload]))
    for (const wake of [...waiters]) wake()
  })
  ws.on('error', () => {})
  const closed = new Promise<{ code: number, reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
      for (const wake of [...waiters]) wake()
    })
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => {
        let parsed: Record<string, unknown> = {}
        try { parsed = JSON.parse(body) as Record<string, unknown> } catch { parsed = { raw: body } }
        reject(new UpgradeRefused(response.statusCode ?? 0, parsed))
      })
    })
    ws.once('error', reject)
  })

  const waitForCount = async (predicate: (frame: Frame) => boolean, count: number, timeoutMs = 5000): Promise<Frame[]> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = frames.filter(predicate)
      if (found.length >= count) return found
      const left = deadline - Date.now()
      if (left <= 0 || ws.readyState === WebSocket.CLOSED) {
        throw new Error(`expected ${count} matching frames, got ${found.length}; last frames: ${JSON.stringify(frames.slice(-5))}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left)
        function done (): void { clearTimeout(timer); waiters.delete(done); resolve() }
        waiters.add(done)
      })
    }
  }

  return {
    ws,
    frames,
    messages: () => messages,
    protocol: ws.protocol,
    async waitFor (predicate, timeoutMs = 5000, what = 'frame') {
      try {
        const [frame] = await waitForCount(predicate, 1, timeoutMs)
        return frame!
      } catch (err) {
        throw new Error(`no ${what}: ${(err as Error).message}`)
      }
    },
    waitForCount,
    send (frame) {
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
    },
    closed,
    async close () {
      if (ws.readyState === WebSocket.CLOSED) return
      ws.close(1000)
      const timer = setTimeout(() => ws.terminate(), 2000)
      await closed
      clearTimeout(timer)
    }
  }
}
