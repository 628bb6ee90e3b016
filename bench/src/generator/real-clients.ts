import { WebSocket } from 'ws'
import { io } from 'socket.io-client'
import { createConnection } from '@webchat/client'
import type { SocketConstructor } from '@webchat/client'
import type { BenchClient } from './client.js'

/**
 * Receivers built on the real client libraries (@webchat/client, socket.io-client): one per
 * fan-out room, counted like the others. They show the raw generator clients speak each
 * protocol as its own client does.
 */
export function realWebchat (url: string, origin: string, token: () => Promise<string>, onText: (text: string) => void): BenchClient {
  // A browser sends its Origin by itself; in Node the socket class adds it.
  class BrowserLikeSocket extends WebSocket {
    constructor (address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { origin } })
    }
  }
  const conn = createConnection({ url, getToken: token, WebSocket: BrowserLikeSocket as unknown as SocketConstructor, network: null })
  conn.on('message', (frame) => onText(frame.text))
  const opened = conn.once('ready').then(() => {})
  return {
    opened,
    async join (room) { await conn.join(room) },
    send (room, text) { void conn.send(room, text).catch(() => {}) },
    close () { conn.close() },
    isOpen: () => conn.state.state === 'open'
  }
}

/** `token`: for a peer that authenticates, the token its CONNECT packet carries (`auth.token`). */
export function realSio (url: string, onText: (text: string) => void, token?: () => Promise<string>): BenchClient {
  const base = url.replace(/^ws/, 'http').replace(/\/socket\.io\/.*$/, '')
  const auth = token === undefined ? undefined : (cb: (data: object) => void): void => { token().then((t) => cb({ token: t }), () => cb({})) }
  const socket = io(base, { transports: ['websocket'], reconnection: false, forceNew: true, ...(auth === undefined ? {} : { auth }) })
  socket.on('msg', (text: string) => onText(text))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  opened.catch(() => {})
  return {
    opened,
    async join (room) { await socket.timeout(30_000).emitWithAck('join', room) },
    send (room, text) { socket.emit('msg', room, text) },
    close () { socket.close() },
    isOpen: () => socket.connected
  }
}
