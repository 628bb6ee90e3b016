import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** The body parsed as JSON, or undefined. */
  json: unknown
  /** Milliseconds from the request to the end of the answer. */
  ms: number
}

export interface HttpOptions {
  method?: string
  headers?: Record<string, string | number | string[]>
  /** A string or bytes sent as is (set `content-type` yourself), or an object sent as JSON. */
  body?: string | Buffer | object
  /** Source address of the connection (any of 127.0.0.0/8 on Linux): one "client IP" per value. */
  localAddress?: string
  timeoutMs?: number
}

/**
 * One HTTP request on a fresh connection, with full control over the bytes (bodies that are not
 * JSON, wrong content types, chosen source addresses). Rejects only when no answer came.
 */
export async function http (url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const started = Date.now()
  const headers: Record<string, string | number | string[]> = { ...options.headers }
  let body: string | Buffer | undefined
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body
    else {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    // Node leaves Content-Length out for DELETE/OPTIONS bodies: the bytes would read as a next request.
    if (headers['transfer-encoding'] === undefined) headers['content-length'] ??= Buffer.byteLength(body)
  }
  return await new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      agent: false,
      localAddress: options.localAddress,
      timeout: options.timeoutMs ?? 15_000
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try { json = text === '' ? undefined : JSON.parse(text) } catch { json = undefined }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: Date.now() - started })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 15_000} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** `name=value` of the cookie `name` an answer set, for a later request's Cookie header. */
export function cookieOf (answer: HttpAnswer, name: string): string | undefined {
  return [answer.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))
}

/** Polls `url` until it answers `status`; throws after `timeoutMs` (or when `abort()` says so). */
export async function waitForStatus (url: string, status: number, timeoutMs: number, abort?: () => string | undefined): Promise<number> {
  const started = Date.now()
  let last = 'no answer'
  while (Date.now() - started < timeoutMs) {
    const reason = abort?.()
    if (reason !== undefined) throw new Error(reason)
    try {
      const answer = await http(url, { timeoutMs: 2000 })
      if (answer.status === status) return Date.now() - started
      last = `status ${answer.status}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(50)
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`)
}

/** Polls `check` until it holds; throws after `timeoutMs`. Resolves with the time it took. */
export async function eventually (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 25): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started
    await sleep(everyMs)
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`)
}
