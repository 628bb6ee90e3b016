import { connect, createServer, type Server, type Socket } from 'node:net'
import type { Test } from 'tap'
import { freePort } from '@webchat/testkit'

export type ProxyMode = 'up' | 'down' | 'silent'

export interface SmtpProxy {
  url: string
  /** up: forwards to the sink; down: nothing listens (connection refused); silent: accepts and never greets. */
  set (mode: ProxyMode): Promise<void>
}

/**
 * A fixed SMTP address in front of a sink whose failure mode a test can switch, so that the
 * next request after an outage goes to the same SMTP_URL.
 */
export async function smtpProxy (t: Test, targetPort: number): Promise<SmtpProxy> {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let mode: ProxyMode = 'down'

  const listen = async (): Promise<void> => {
    server = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {})
      if (mode === 'silent') return
      const upstream = connect(targetPort, '127.0.0.1')
      upstream.on('error', () => socket.destroy())
      socket.on('close', () => upstream.destroy())
      socket.pipe(upstream).pipe(socket)
    })
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject)
      server?.listen(port, '127.0.0.1', () => resolve())
    })
  }
  const stop = async (): Promise<void> => {
    const s = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    if (s !== undefined) await new Promise((resolve) => s.close(resolve))
  }

  t.teardown(stop)
  return {
    url: `smtp://127.0.0.1:${port}`,
    async set (next) {
      mode = next
      if (next === 'down') await stop()
      else if (server === undefined) await listen()
    }
  }
}
