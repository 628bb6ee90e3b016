import t from 'tap'
import { INVITATION_SUBJECT, escapeHtml, invitationMessage } from '../../src/mail/invitation.js'

const base = { inviterEmail: 'ada@example.com', appUrl: 'https://chat.example.com' }

t.test('names the inviter by their verified address, links to the app, fixed subject', async (t) => {
  const { subject, text, html } = invitationMessage(base)
  t.equal(subject, INVITATION_SUBJECT)
  t.equal(text, [
    'The webchat user signed in as ada@example.com wants to chat with you.',
    '',
    'To answer, open https://chat.example.com and sign in with this address: the conversation is waiting there.',
    '',
    'If you do not know them, you can ignore this message: nothing happens unless you sign in.',
    ''
  ].join('\n'), 'the whole text: nothing else varies')
  t.match(html, 'The webchat user signed in as <strong>ada@example.com</strong> wants to chat with you.')
  t.match(html, '<a href="https://chat.example.com">https://chat.example.com</a>')
})

t.test('never the display name, whatever it is: a name is text the user chose', async (t) => {
  const hostile = 'PayPal (service@paypal.com) https://paypal.example 0800 123'
  // Whatever a caller passes along, only the verified address and the app URL reach the mail.
  const { subject, text, html } = invitationMessage({ ...base, inviterName: hostile } as typeof base)
  for (const part of [subject, text, html]) {
    for (const piece of [hostile, 'PayPal', 'service@paypal.com', 'paypal.example', '0800']) t.notOk(part.includes(piece), `no ${piece}`)
  }
  t.match(text, 'signed in as ada@example.com')
})

t.test('the HTML part escapes what it shows', async (t) => {
  t.equal(escapeHtml('a<>&"\'z'), 'a&lt;&gt;&amp;&quot;&#39;z')
  const { html } = invitationMessage({ ...base, appUrl: 'https://chat.example.com/a&b' })
  t.match(html, '<a href="https://chat.example.com/a&amp;b">https://chat.example.com/a&amp;b</a>')
})

t.test('refuses parts that break their rule, whatever the caller checked', async (t) => {
  t.throws(() => invitationMessage({ ...base, inviterEmail: 'ada@example.com, eve@example.com' }), /one address/)
  t.throws(() => invitationMessage({ ...base, appUrl: 'javascript:alert(1)' }), /http/)
  t.throws(() => invitationMessage({ ...base, appUrl: 'https://x.example/"><script>' }), /http/)
})
