import { createConnection, createServer } from 'node:net'
import nodemailer from 'nodemailer'
import t from 'tap'
import { freePort, pool, startRedis, startSmtpSink, waitForPort } from '../src/index.js'

async function redisPing (port: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'))
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().trim()) })
    socket.once('error', reject)
  })
}

t.test('a throwaway redis-server answers, stops and starts again on its port', async (t) => {
  const redis = await startRedis()
  t.teardown(() => redis.close())
  t.equal(await redisPing(redis.port), '+PONG')
  t.not(redis.prefix(), redis.prefix(), 'fresh prefixes')
  if (!redis.owned) return
  await redis.stop()
  await t.rejects(redisPing(redis.port), 'down after stop')
  await redis.start()
  t.equal(await redisPing(redis.port), '+PONG', 'back after start')
})

t.test('the SMTP sink captures mail and finds the code', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const transport = nodemailer.createTransport({ url: sink.url } as never)
  await transport.sendMail({ from: 'webchat@example.com', to: 'ana@example.com', subject: 'code', text: 'Your code is 04213755.' })
  t.equal(await sink.codeFor('ANA@example.com'), '04213755')
  t.equal(sink.mails.length, 1)
  await transport.sendMail({
    from: 'webchat@example.com', to: 'cy@example.com', subject: 'code',
    text: 'Mailed at 123456, ref 123456789. Your code is 91827364.', html: '<p>Your code is</p><p><strong>91827364</strong></p>',
    headers: { 'x-trace': 'id-12345678-abc' }
  })
  t.equal(await sink.codeFor('cy@example.com'), '91827364', 'not fooled by digits in boundaries or ids, nor by shorter or longer numbers')
  sink.failing = true
  await t.rejects(transport.sendMail({ from: 'webchat@example.com', to: 'bob@example.com', subject: 'code', text: '12345678' }), 'refused while failing')
  await t.rejects(sink.codeFor('bob@example.com', 100), /no code/)
})

t.test('waitForPort waits for a listener, and names what never came', async (t) => {
  const port = await freePort()
  await t.rejects(waitForPort(port, 150, 'the thing'), { message: `the thing did not listen on ${port} within 150 ms` })
  const server = createServer()
  t.teardown(() => { server.close() })
  setTimeout(() => server.listen(port, '127.0.0.1'), 100)
  await waitForPort(port, 5000)
  t.pass('resolved once the server listened')
})

t.test('pool runs every task with at most inFlight at once, results in task order', async (t) => {
  let running = 0
  let most = 0
  const results = await pool(10, 3, async (i) => {
    running++
    most = Math.max(most, running)
    await new Promise((resolve) => setTimeout(resolve, (10 - i) * 2))
    running--
    return i * i
  })
  t.same(results, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81])
  t.equal(most, 3, 'never more than three at once')
  t.same(await pool(0, 3, async () => 1), [], 'no tasks, no results')
})
