import { randomBytes } from 'node:crypto'
import t from 'tap'
import { build, smtpSink } from '../helper.js'
import { QUICK_WORKER, drained, headerOf, item, job, mailsTo, outcomes, push, signedUp } from './jobs.js'

t.test('two instances on one Redis take jobs from one queue: each job is mailed once', async (t) => {
  const sink = await smtpSink(t)
  const env = { ...QUICK_WORKER, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:`, CODE_SECRET: 'c'.repeat(40), NOTIFY_MAILS_PER_HOUR: '100' }
  const first = await build(t, 'redis', { sink, env })
  const second = await build(t, 'redis', { sink, env })
  const bob = await signedUp(first, 'bob@example.com')
  const jobs = Array.from({ length: 30 }, (_, i) => job(bob.id, [item('direct', { preview: `number ${i}` })]))
  await push(first.engine, ...jobs)
  await drained(second.engine)
  const mails = mailsTo(sink, 'bob@example.com')
  t.equal(mails.length, jobs.length, 'one mail a job')
  t.same(new Set(mails.map((m) => headerOf(m, 'Message-ID'))), new Set(jobs.map((j) => `<notification.${j.id}@webchat.localhost>`)), 'each job\'s own')
  t.equal(await outcomes(first.app, 'sent') + await outcomes(second.app, 'sent'), jobs.length)
})
