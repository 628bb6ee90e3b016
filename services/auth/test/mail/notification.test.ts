import t from 'tap'
import { notificationMessage, notificationMessageId, notificationSubject } from '../../src/mail/notification.js'
import { item } from '../notifications/jobs.js'

const links = { jobId: '7d0f5f5e-8f7a-4c51-9d1e-2b1b0f0a8e11', appUrl: 'https://chat.example.com/app', unsubscribeUrl: 'https://chat.example.com/auth/unsubscribe?u=u1&s=sig' }
const bob = { id: 'bob-id', name: 'Bob' }

t.test('subjects', async (t) => {
  t.equal(notificationSubject([item('direct')], 0), 'Ann sent you a message')
  t.equal(notificationSubject([item('mention')], 0), 'Ann mentioned you in Project X')
  t.equal(notificationSubject([item('direct'), item('direct'), item('direct')], 0), '3 new messages from Ann')
  t.equal(notificationSubject([item('direct'), item('mention', { from: bob })], 1), '3 new messages from Ann and Bob')
  t.equal(notificationSubject([item('direct'), item('mention', { from: bob }), item('direct', { from: { id: 'c', name: 'Cy' } })], 0), '3 new messages from Ann, Bob and others')
  t.equal(notificationSubject([item('direct', { from: { id: 'x', name: 'Eve\r\nBcc: x@example.com' } })], 0), 'Eve Bcc: x@example.com sent you a message', 'one line')
})

t.test('rooms are linked on the app\'s origin, as the web app addresses them; the footer links the settings and the unsubscribe link', async (t) => {
  const { text, html, headers } = notificationMessage({ ...links, items: [item('mention', { room: 'project-x' })], more: 0 })
  t.match(text, 'https://chat.example.com/r/project-x')
  t.match(html, '<a href="https://chat.example.com/r/project-x">Open the conversation</a>')
  t.match(html, '<a href="https://chat.example.com/auth/unsubscribe?u=u1&amp;s=sig">unsubscribe from these mails</a>')
  t.match(text, 'Choose which mails you get in webchat\'s settings: https://chat.example.com/app')
  t.notMatch(text, 'more unread')
  t.same(headers, { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })
  t.match(notificationMessage({ ...links, items: [item('direct')], more: 1 }).text, 'And 1 more unread message.')
})

t.test('refuses what it cannot send', async (t) => {
  t.throws(() => notificationMessage({ ...links, items: [], more: 2 }), /at least one item/)
  t.throws(() => notificationMessage({ ...links, items: [item('direct')], more: 0, unsubscribeUrl: 'javascript:alert(1)' }), /http/)
})

t.test('the Message-ID is the job\'s, in the sender\'s domain', async (t) => {
  t.equal(notificationMessageId(links.jobId, 'webchat <no-reply@mail.example.com>'), `<notification.${links.jobId}@mail.example.com>`)
  t.equal(notificationMessageId(links.jobId, 'no-reply@example.org'), `<notification.${links.jobId}@example.org>`)
})
