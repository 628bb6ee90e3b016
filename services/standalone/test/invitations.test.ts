import t from 'tap'
import WebSocket from 'ws'
import { createAuthClient, createConnection, type AuthClient, type Connection, type SocketConstructor } from '@webchat/client'
import { bodyOf, freePort, startSmtpSink } from '@webchat/testkit'
import { buildStandalone, loadConfig } from '../src/index.js'

t.test('npm start: invited by email, a new user finds the room at their first sign-in', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const { fastify } = await buildStandalone(loadConfig({
    PORT: String(port), MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, LOG_LEVEL: 'silent', DATA_DIR: t.testdir()
  }))
  t.teardown(() => fastify.close())
  await fastify.listen({ host: '127.0.0.1', port })
  // A browser on the app's page: its Origin is the first allowed one.
  const Socket = class extends WebSocket {
    constructor (url: string, protocols: string[]) { super(url, protocols, { origin: `http://localhost:${port}` }) }
  } as unknown as SocketConstructor
  const session = async (email: string): Promise<{ auth: AuthClient, conn: Connection }> => {
    const auth = createAuthClient({ baseUrl: base, origin: `http://localhost:${port}` })
    await auth.requestCode(email)
    await auth.verify(email, await sink.codeFor(email))
    const conn = createConnection({ url: `ws://127.0.0.1:${port}/ws`, getToken: async () => await auth.token(), WebSocket: Socket })
    t.teardown(() => conn.close())
    return { auth, conn }
  }

  const ana = await session('ana@example.com')
  const room = await ana.conn.createRoom({ title: 'Launch' })
  const { ticket } = await ana.auth.invitation('bea@example.com')
  await ana.conn.invite(room.id, { ticket })
  const direct = await ana.conn.direct({ ticket })

  let mail: string | undefined
  for (let i = 0; i < 250 && mail === undefined; i++) {
    const found = sink.mails.find((m) => m.to.includes('bea@example.com'))
    if (found === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
    else mail = bodyOf(found)
  }
  t.match(mail, 'The webchat user signed in as ana@example.com wants to chat with you.')
  t.match(mail, `open http://localhost:${port} and sign in`, 'the link is the app\'s origin')

  const bea = await session('bea@example.com')
  const rooms = await bea.conn.listRooms()
  t.same(rooms.map((e) => [e.room.id, e.room.kind]).sort(), [[room.id, 'private'], [direct.id, 'direct']].sort())
})
