import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AccessHookRequest } from '@webchat/shared'

export const HOOK_SECRET = 'hook-secret-for-tests-0123456789abcdef'

/** A request the hook got: its headers, the body as sent, and that body parsed. */
export interface HookRequest { headers: IncomingHttpHeaders, body: string, json: AccessHookRequest }

/** How to answer: a status and body (default 200 and `{"allow":false}`), after a delay; `hang`: never. */
export interface HookReply { status?: number, body?: unknown, raw?: string, delayMs?: number, hang?: boolean }

export interface HookServer {
  url: string
  requests: HookRequest[]
  /** The requests about one user. */
  about (userId: string): HookRequest[]
  /** Decides each answer; replace it at will. */
  answer: (request: AccessHookRequest) => HookReply | Promise<HookReply>
  close (): Promise<void>
}

interface Teardown { teardown (fn: () => unknown): void }

/** A real host product's join hook on 127.0.0.1 (a free port), recording every request. */
export async function startHookServer (t: Teardown, answer: HookServer['answer'] = () => ({})): Promise<HookServer> {
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const json = JSON.parse(body) as AccessHookRequest
      hook.requests.push({ headers: req.headers, body, json })
      void Promise.resolve(hook.answer(json)).then((reply) => {
        if (reply.hang === true) return
        const send = (): void => {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' })
          res.end(reply.raw ?? JSON.stringify(reply.body ?? { allow: false }))
        }
        if (reply.delayMs === undefined) return send()
        const timer = setTimeout(() => { timers.delete(timer); send() }, reply.delayMs)
        timers.add(timer)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const hook: HookServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/access`,
    requests: [],
    about: (userId) => hook.requests.filter((r) => r.json.user.id === userId),
    answer,
    async close () {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  t.teardown(async () => await hook.close())
  return hook
}
