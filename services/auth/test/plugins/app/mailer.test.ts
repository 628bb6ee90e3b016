import t from 'tap'
import { bodyOf, startSmtpSink } from '@webchat/testkit'
import { INVITATION_SUBJECT } from '../../../src/mail/invitation.js'
import { codeMessage, isDeliverable, SUBJECT } from '../../../src/mail/message.js'
import { backgroundProbe, createMailer, type Mailer } from '../../../src/plugins/app/mailer.js'
import { sleep } from '../../helper.js'
import { smtpProxy } from '../../smtp-proxy.js'

const options = { from: 'webchat <no-reply@example.com>', codeTtlSeconds: 600 }

/** Reads `reachable()` (each read may start a background probe) until it says `want`; whether it did within `ms`. */
async function becomes (mailer: Mailer, want: boolean, ms = 3000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) {
    if (mailer.reachable() === want) return true
  }
  return false
}

t.test('SMTP: one message with text and HTML, the fixed subject and only the address', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const mailer = createMailer({ ...options, transport: 'smtp', smtpUrl: sink.url, timeoutMs: 2000 })
  t.teardown(() => { mailer.close() })
  await mailer.sendCode('ada@example.com', '01234567')
  t.equal(sink.mails.length, 1)
  const { raw, to, from } = sink.mails[0]!
  t.same(to, ['ada@example.com'])
  t.equal(from, 'no-reply@example.com')
  t.match(raw, new RegExp(`^Subject: ${SUBJECT}\\r?$`, 'm'))
  t.match(raw, /^To: ada@example\.com\r?$/m)
  t.match(raw, /text\/plain/)
  t.match(raw, /text\/html/)
  t.match(raw, /01234567/)
  t.ok(await becomes(mailer, true), 'the probe finds the server')
})

t.test('an invitation: the fixed subject, the inviter and the app, to the one address', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const mailer = createMailer({ ...options, transport: 'smtp', smtpUrl: sink.url, timeoutMs: 2000 })
  t.teardown(() => { mailer.close() })
  const invitation = { inviterEmail: 'ada@example.com', appUrl: 'https://chat.example.com' }
  await mailer.sendInvitation('bob@example.com', invitation)
  t.equal(sink.mails.length, 1)
  t.same(sink.mails[0]!.to, ['bob@example.com'])
  t.match(sink.mails[0]!.raw, new RegExp(`^Subject: ${INVITATION_SUBJECT}\\r?$`, 'm'))
  t.match(bodyOf(sink.mails[0]!), 'The webchat user signed in as ada@example.com wants to chat with you.')
  await t.rejects(mailer.sendInvitation('bob@example.com\r\nBcc: eve@example.com', invitation), { code: 'EADDRESS' })
  const printed: string[] = []
  const printing = createMailer({ ...options, transport: 'console', smtpUrl: '', timeoutMs: 2000, print: (line) => printed.push(line) })
  await printing.sendInvitation('bob@example.com', invitation)
  t.same(printed, ['[mail:console] invitation for bob@example.com from ada@example.com: https://chat.example.com'])
  t.equal(sink.mails.length, 1, 'nothing more sent')
})

t.test('refuses undeliverable addresses before talking to the server', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  for (const transport of ['smtp', 'console'] as const) {
    const printed: string[] = []
    const mailer = createMailer({ ...options, transport, smtpUrl: sink.url, timeoutMs: 2000, print: (line) => printed.push(line) })
    for (const to of ['a@example.com\r\nBcc: b@example.com', 'a@example.com, b@example.com', '"A" <a@example.com>', 'a@example.com\n', 'x'.repeat(250) + '@example.com']) {
      await t.rejects(mailer.sendCode(to, '12345678'), { code: 'EADDRESS' }, `${transport}: ${JSON.stringify(to)}`)
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
  await t.rejects(mailer.sendCode('a@example.com', '12345678'), 'connection refused')
  t.equal(mailer.reachable(), false, 'false before any probe answered')
  await proxy.set('silent')
  const started = Date.now()
  await t.rejects(mailer.sendCode('a@example.com', '12345678'), 'no greeting')
  t.ok(Date.now() - started < 1500, `gave up after ${Date.now() - started} ms`)
  for (let i = 0; i < 5; i++) {
    const read = Date.now()
    t.equal(mailer.reachable(), false)
    t.ok(Date.now() - read < 50, 'a read never waits for the silent server')
    await sleep(200)
  }
  await proxy.set('down')
  await proxy.set('up')
  sink.failing = true
  await t.rejects(mailer.sendCode('a@example.com', '12345678'), 'a 4xx reply')
  sink.failing = false
  t.ok(await becomes(mailer, true), 'a failure is probed again (after probeRetryMs, 1 s)')
  await mailer.sendCode('a@example.com', '12345678')
  await proxy.set('down')
  await sleep(100)
  t.equal(mailer.reachable(), true, 'a success is remembered for probeCacheMs')
})

t.test('background probe: one at a time, never awaited, a success kept for maxAgeMs, a failure for retryMs, none after stop', async (t) => {
  const answers: Array<(ok: boolean) => void> = []
  const probe = backgroundProbe(async () => await new Promise<boolean>((resolve) => answers.push(resolve)), 200, 100)
  t.equal(probe.read(), false, 'false before the first answer')
  t.equal(probe.read(), false)
  t.equal(answers.length, 1, 'one probe under way, not two')
  answers[0]!(true)
  await sleep(0)
  t.equal(probe.read(), true)
  t.equal(answers.length, 1, 'a fresh success is not probed again')
  await sleep(250)
  t.equal(probe.read(), true, 'the old answer while the next probe runs')
  t.equal(answers.length, 2, 'probed again after maxAgeMs')
  answers[1]!(false)
  await sleep(0)
  t.equal(probe.read(), false)
  t.equal(answers.length, 2, 'a fresh failure is not probed again at once')
  await sleep(120)
  t.equal(probe.read(), false)
  t.equal(answers.length, 3, 'a failure is probed again after retryMs')
  probe.stop()
  answers[2]!(true)
  await sleep(0)
  t.equal(probe.read(), false, 'an answer after stop is ignored')
  t.equal(answers.length, 3, 'no probe after stop')
})

t.test('a probe that throws reads as unreachable and is probed again', async (t) => {
  let calls = 0
  const probe = backgroundProbe(async () => { calls++; throw new Error('boom') }, 1000, 0)
  probe.read()
  await sleep(0)
  t.equal(probe.read(), false)
  t.equal(calls, 2, 'the thrown probe ended: the next read probed again')
  probe.stop()
})

t.test('console transport prints the code instead of mailing it', async (t) => {
  const printed: string[] = []
  const mailer = createMailer({ ...options, transport: 'console', smtpUrl: '', timeoutMs: 1000, print: (line) => printed.push(line) })
  await mailer.sendCode('dev@example.com', '87654321')
  t.same(printed, ['[mail:console] sign-in code for dev@example.com: 87654321'])
  t.equal(mailer.reachable(), true)
  mailer.close()
})

t.test('the message and the address check', async (t) => {
  const message = codeMessage('00012345', 10)
  t.equal(message.subject, 'Your webchat sign-in code')
  t.match(message.text, /sign-in code is 00012345\n/, 'the text: the 8 digits as typed')
  t.match(message.text, /within 10 minutes/)
  t.match(message.html, /<strong>0001<span style="margin-left:14px">2345<\/span><\/strong>/, 'the HTML: two groups of 4, no character between them')
  for (const code of ['12345', '123456', '1234567', '123456789', '1234 5678', 'abcdefgh', '<b>12</b>']) t.throws(() => codeMessage(code, 10), code)
  t.equal(isDeliverable('a.b+c@sub.example.co'), true)
  t.equal(isDeliverable("o'brien@example.com"), true)
  for (const bad of ['a@b', 'a b@example.com', 'a@example.com\r', 'a;b@example.com', 'a@example.com>', '']) t.equal(isDeliverable(bad), false, bad)
})
