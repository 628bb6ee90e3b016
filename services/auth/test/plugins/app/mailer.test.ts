import t from 'tap'
import { startSmtpSink } from '@webchat/testkit'
import { codeMessage, isDeliverable, SUBJECT } from '../../../src/mail/message.js'
import { createMailer } from '../../../src/plugins/app/mailer.js'
import { smtpProxy } from '../../smtp-proxy.js'

const options = { from: 'webchat <no-reply@example.com>', codeTtlSeconds: 600 }

t.test('SMTP: one message with text and HTML, the fixed subject and only the address', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const mailer = createMailer({ ...options, transport: 'smtp', smtpUrl: sink.url, timeoutMs: 2000 })
  t.teardown(() => { mailer.close() })
  await mailer.sendCode('ada@example.com', '012345')
  t.equal(sink.mails.length, 1)
  const { raw, to, from } = sink.mails[0]!
  t.same(to, ['ada@example.com'])
  t.equal(from, 'no-reply@example.com')
  t.match(raw, new RegExp(`^Subject: ${SUBJECT}\\r?$`, 'm'))
  t.match(raw, /^To: ada@example\.com\r?$/m)
  t.match(raw, /text\/plain/)
  t.match(raw, /text\/html/)
  t.match(raw, /012345/)
  t.equal(await mailer.check(), true)
})

t.test('refuses undeliverable addresses before talking to the server', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  for (const transport of ['smtp', 'console'] as const) {
    const printed: string[] = []
    const mailer = createMailer({ ...options, transport, smtpUrl: sink.url, timeoutMs: 2000, print: (line) => printed.push(line) })
    for (const to of ['a@example.com\r\nBcc: b@example.com', 'a@example.com, b@example.com', '"A" <a@example.com>', 'a@example.com\n', 'x'.repeat(250) + '@example.com']) {
      await t.rejects(mailer.sendCode(to, '123456'), { code: 'EADDRESS' }, `${transport}: ${JSON.stringify(to)}`)
    }
    t.same(printed, [])
    mailer.close()
  }
  t.equal(sink.mails.length, 0)
})

t.test('failures within the timeout: refused, never greeted, rejected by the server', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const proxy = await smtpProxy(t, sink.port)
  const mailer = createMailer({ ...options, transport: 'smtp', smtpUrl: proxy.url, timeoutMs: 500, probeCacheMs: 60_000 })
  t.teardown(() => { mailer.close() })
  await proxy.set('down')
  await t.rejects(mailer.sendCode('a@example.com', '123456'), 'connection refused')
  t.equal(await mailer.check(), false)
  await proxy.set('silent')
  const started = Date.now()
  await t.rejects(mailer.sendCode('a@example.com', '123456'), 'no greeting')
  t.ok(Date.now() - started < 1500, `gave up after ${Date.now() - started} ms`)
  t.equal(await mailer.check(), false)
  await proxy.set('down')
  await proxy.set('up')
  sink.failing = true
  await t.rejects(mailer.sendCode('a@example.com', '123456'), 'a 4xx reply')
  sink.failing = false
  t.equal(await mailer.check(), true, 'a failure is not remembered')
  await mailer.sendCode('a@example.com', '123456')
  await proxy.set('down')
  t.equal(await mailer.check(), true, 'a success is remembered for probeCacheMs')
})

t.test('concurrent probes share one connection attempt', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const mailer = createMailer({ ...options, transport: 'smtp', smtpUrl: sink.url, timeoutMs: 2000, probeCacheMs: 0 })
  t.teardown(() => { mailer.close() })
  t.same(await Promise.all([mailer.check(), mailer.check(), mailer.check()]), [true, true, true])
})

t.test('console transport prints the code instead of mailing it', async (t) => {
  const printed: string[] = []
  const mailer = createMailer({ ...options, transport: 'console', smtpUrl: '', timeoutMs: 1000, print: (line) => printed.push(line) })
  await mailer.sendCode('dev@example.com', '654321')
  t.same(printed, ['[mail:console] sign-in code for dev@example.com: 654321'])
  t.equal(await mailer.check(), true)
  mailer.close()
})

t.test('the message and the address check', async (t) => {
  const message = codeMessage('000123', 10)
  t.equal(message.subject, 'Your webchat sign-in code')
  t.match(message.text, /sign-in code is 000123/)
  t.match(message.text, /within 10 minutes/)
  t.match(message.html, /<strong>000123<\/strong>/)
  for (const code of ['12345', '1234567', 'abcdef', '<b>12</b>']) t.throws(() => codeMessage(code, 10), code)
  t.equal(isDeliverable('a.b+c@sub.example.co'), true)
  t.equal(isDeliverable("o'brien@example.com"), true)
  for (const bad of ['a@b', 'a b@example.com', 'a@example.com\r', 'a;b@example.com', 'a@example.com>', '']) t.equal(isDeliverable(bad), false, bad)
})
