import { Worker } from 'node:worker_threads'

/** One kind of upgrade attempt: headers as sent (undefined: header left out), and an optional query. */
export interface AttemptKind {
  name: string
  protocol?: string
  origin?: string
  query?: string
}

export interface FloodOptions {
  /** ws:// URLs, used in turn. */
  targets: string[]
  kinds: AttemptKind[]
  count: number
  inFlight: number
}

export interface FloodResult { kind: string, status: number }

/**
 * The attacker, in a thread of its own (so that its work does not delay the measuring clients of
 * this thread): `count` upgrade requests, `inFlight` at a time, each on a fresh connection, kinds
 * and targets in turn. Status 101 means the server switched protocols (the socket is then dropped
 * at once); 0 means no answer within 10 s.
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const { request } = require('node:http')
const { randomBytes } = require('node:crypto')
const { targets, kinds, count, inFlight } = workerData
function attempt (wsUrl, kind) {
  const url = new URL(wsUrl.replace(/^ws/, 'http'))
  if (kind.query !== undefined) url.search = kind.query
  const headers = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') }
  if (kind.protocol !== undefined) headers['sec-websocket-protocol'] = kind.protocol
  if (kind.origin !== undefined) headers.origin = kind.origin
  return new Promise((resolve) => {
    const req = request(url, { headers, agent: false, timeout: 10000 })
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve(101) })
    req.on('response', (res) => { res.resume(); res.on('end', () => resolve(res.statusCode || 0)); res.on('error', () => resolve(res.statusCode || 0)) })
    req.on('timeout', () => { req.destroy(); resolve(0) })
    req.on('error', () => resolve(0))
    req.end()
  })
}
const results = new Array(count)
let next = 0
async function lane () {
  while (next < count) {
    const i = next++
    const kind = kinds[i % kinds.length]
    results[i] = { kind: kind.name, status: await attempt(targets[i % targets.length], kind) }
  }
}
Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane)).then(() => parentPort.postMessage(results))
`

export async function floodUpgrades (options: FloodOptions): Promise<FloodResult[]> {
  const worker = new Worker(WORKER, { eval: true, workerData: options })
  try {
    return await new Promise<FloodResult[]>((resolve, reject) => {
      worker.once('message', (results: FloodResult[]) => resolve(results))
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the flood worker exited with ${code}`)))
    })
  } finally {
    await worker.terminate()
  }
}
