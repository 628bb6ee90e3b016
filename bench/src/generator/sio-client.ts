import { type BenchClient, type ClientEvents, connectFailures } from './client.js'
import { openWire } from './wire.js'

/**
 * A Socket.IO 4 client speaking Engine.IO v4 / Socket.IO v5 directly over the bench's WebSocket
 * (wire.ts, the same as the webchat client's), as socket.io-client does on its websocket
 * transport: `0{…}` open → `40` CONNECT → `40{sid}`; events `42[…]`; acks `43<id>[…]`; Engine.IO
 * ping `2` → pong `3`; with a token, CONNECT is `40{"token":"…"}` (its `auth`). Same delivery scan
 * as the webchat client, so both generators cost the same per delivery. (One member of each
 * fan-out room runs the real socket.io-client beside these, as a check that this is the protocol
 * it speaks.)
 */
export function sioClient (url: string, events: ClientEvents, token?: string): BenchClient {
  let connected = false
  let nextAck = 0
  const acks = new Map<number, () => void>()
  let readyWaiter: { resolve: () => void, reject: (err: Error) => void } | undefined
  const opened = new Promise<void>((resolve, reject) => { readyWaiter = { resolve, reject } })
  opened.catch(() => {})

  const ws = openWire(url, {}, {
    onOpen () {},
    onMessage (data) {
      const kind = data[0]
      if (kind === 0x34 /* 4: message */) {
        const packet = data[1]
        if (packet === 0x32 /* 2: EVENT */) { events.onData(data); return }
        if (packet === 0x33 /* 3: ACK */) {
          const id = Number.parseInt(data.toString('latin1', 2, 12), 10)
          acks.get(id)?.()
          acks.delete(id)
          return
        }
        if (packet === 0x30 /* 0: CONNECT */) { connected = true; readyWaiter?.resolve(); return }
        if (packet === 0x34 /* 4: CONNECT_ERROR */) { events.onError('connect_error'); readyWaiter?.reject(new Error('connect_error')) }
        return
      }
      if (kind === 0x32 /* 2: ping */) { ws.send('3'); return }
      // A token goes in the CONNECT packet, as socket.io-client sends its `auth` option.
      if (kind === 0x30 /* 0: open */) ws.send(token === undefined ? '40' : `40{"token":"${token}"}`)
    },
    ...connectFailures(events, (err) => readyWaiter?.reject(err)),
    onClose (code) {
      if (!connected) readyWaiter?.reject(new Error(`closed before connect: ${code}`))
      events.onClose(code)
    }
  })

  return {
    opened,
    async join (room) {
      await new Promise<void>((resolve) => {
        const id = nextAck++
        acks.set(id, resolve)
        ws.send(`42${id}["join","${room}"]`)
      })
    },
    send (room, text) { ws.send(`42["msg","${room}","${text}"]`) },
    close () { ws.close(1000) },
    isOpen: () => ws.isOpen()
  }
}
