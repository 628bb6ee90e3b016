import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request a receiver got: headers, the body as sent, that body parsed. */
export interface Received { headers: IncomingHttpHeaders, body: string, json: { id: string, type: string, time: string, data: Record<string, unknown> } }

/** How to answer one request: a status (default 200) and a raw body; `hang`: never. */
export interface ReceiverReply { status?: number, raw?: string, hang?: boolean }

export interface WebhookReceiver {
  url: string
  requests: Received[]
  answer: (request: Received) => ReceiverReply
  /** The requests of one event type. */
  of (type: string): Received[]
  close (): Promise<void>
}

interface Teardown { teardown (fn: () => unknown): void }

/** A host product's real webhook receiver on 127.0.0.1 (a free port), recording every request it reads. */
export async function startReceiver (t: Teardown, answer: WebhookReceiver['answer'] = () => ({})): Promise<WebhookReceiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const request: Received = { headers: req.headers, body, json: JSON.parse(body) as Received['json'] }
      receiver.requests.push(request)
      const reply = receiver.answer(request)
      if (reply.hang === true) return
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain' })
      res.end(reply.raw ?? 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/chat`,
    requests: [],
    answer,
    of: (type) => receiver.requests.filter((r) => r.json.type === type),
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  t.teardown(async () => await receiver.close())
  return receiver
}
