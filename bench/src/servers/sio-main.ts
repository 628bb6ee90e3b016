import { createServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { Server } from 'socket.io'

// The Socket.IO 4.8 peer: two of these on one Redis through @socket.io/redis-adapter. WebSocket
// transport only, no compression, no auth: the baseline the issue quotes. A client joins a room
// (acknowledged) and a message is broadcast to the room with io.to(room).emit, sender included.
const [portArg, redisUrl] = process.argv.slice(2)
if (portArg === undefined || redisUrl === undefined) throw new Error('usage: sio-main <port> <redis-url>')

const pub = new Redis(redisUrl)
const sub = pub.duplicate()
const http = createServer()
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 16 * 1024,
  adapter: createAdapter(pub, sub)
})

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
