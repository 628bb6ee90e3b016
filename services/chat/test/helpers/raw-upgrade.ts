import { randomBytes } from 'node:crypto'
import { createConnection, type Socket } from 'node:net'

interface Teardown { teardown (fn: () => unknown): void }

/**
 * Sends `GET /ws` as an upgrade on a raw TCP socket (destroyed on teardown), with `headers` after
 * the handshake's own; resolves with the first chunk of the answer, as latin1 text.
 */
export async function rawUpgrade (t: Teardown, port: number, headers: string[], key = randomBytes(16).toString('base64')): Promise<{ text: string, socket: Socket }> {
  const socket = createConnection({ host: '127.0.0.1', port })
  t.teardown(() => socket.destroy())
  const chunk = await new Promise<Buffer>((resolve, reject) => {
    socket.once('data', resolve)
    socket.once('error', reject)
    socket.write([
      'GET /ws HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', ...headers, '', ''
    ].join('\r\n'))
  })
  return { text: chunk.toString('latin1'), socket }
}
