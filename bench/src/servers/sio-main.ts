import { createServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter'
import { Redis } from 'ioredis'
import { Server, type ServerOptions } from 'socket.io'
import { tokenMiddleware } from './sio-auth.js'

// The Socket.IO 4.8 peers: two of these on one Redis. WebSocket transport only, no compression.
// A client joins a room (acknowledged) and a message is broadcast to the room with io.to(room).emit,
// sender included. The mode says what runs beside that:
// - plain: @socket.io/redis-adapter (pub/sub), no auth, no history: the baseline the issue quotes;
// - auth: the same, and every connection authenticated by a single-use JWT (sio-auth.ts);
// - streams: @socket.io/redis-streams-adapter (every broadcast appended to one Redis stream that
//   every instance reads) with connection state recovery: the packets a client missed during a
//   short disconnection are replayed when it reconnects within maxDisconnectionDuration.
const [portArg, redisUrl, mode = 'plain', jwksUrl, issuer] = process.argv.slice(2)
if (portArg === undefined || redisUrl === undefined) throw new Error('usage: sio-main <port> <redis-url> [plain|auth|streams] [jwks-url issuer]')

/** Socket.IO's defaults, stated: how long a disconnected client's session and missed packets are kept. */
const MAX_DISCONNECTION_MS = 2 * 60_000

const pub = new Redis(redisUrl)
const sub = pub.duplicate()
const options: Partial<ServerOptions> = {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 16 * 1024
}
const io = mode === 'streams'
  ? new Server({ ...options, adapter: createStreamsAdapter(pub), connectionStateRecovery: { maxDisconnectionDuration: MAX_DISCONNECTION_MS, skipMiddlewares: true } })
  : new Server({ ...options, adapter: createAdapter(pub, sub) })
const http = createServer()
io.attach(http)

if (mode === 'auth') {
  if (jwksUrl === undefined || issuer === undefined) throw new Error('sio-main auth needs <jwks-url> <issuer>')
  io.use(tokenMiddleware(jwksUrl, issuer, pub))
} else if (mode !== 'plain' && mode !== 'streams') {
  throw new Error(`unknown mode ${mode}`)
}

io.on('connection', (socket) => {
  socket.on('join', (room: unknown, ack?: () => void) => {
    if (typeof room !== 'string') return
    void socket.join(room)
    if (typeof ack === 'function') ack()
  })
  socket.on('msg', (room: unknown, text: unknown) => {
    if (typeof room !== 'string' || typeof text !== 'string') return
    io.to(room).emit('msg', text)
  })
})

const shutdown = (): void => {
  void io.close()
  pub.disconnect()
  sub.disconnect()
  setTimeout(() => process.exit(0), 500).unref()
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)

http.listen(Number(portArg), '127.0.0.1')
