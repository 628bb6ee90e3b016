import t from 'tap'
import { INVITATION_SUBJECT, escapeHtml, invitationMessage } from '../../src/mail/invitation.js'

const base = { inviterName: 'Ada', inviterEmail: 'ada@example.com', appUrl: 'https://chat.example.com' }

t.test('names the inviter by name and verified address, links to the app, fixed subject', async (t) => {
  const { subject, text, html } = invitationMessage(base)
  t.equal(subject, INVITATION_SUBJECT)
  t.equal(text, [
    'Ada (ada@example.com) wants to chat with you on webchat.',
    '',
    'To answer, open https://chat.example.com and sign in with this address: the conversation is waiting there.',
    '',
    'If you do not know them, you can ignore this message: nothing happens unless you sign in.',
    ''
  ].join('\n'), 'the whole text: nothing else varies')
  t.match(html, '<strong>Ada</strong> (ada@example.com) wants to chat with you on webchat.')
  t.match(html, '<a href="https://chat.example.com">https://chat.example.com</a>')
})

t.test('the display name is HTML-escaped; the text body keeps it as typed', async (t) => {
  const { text, html } = invitationMessage({ ...base, inviterName: '<b>Ada</b> & "Bo\'b"' })
  t.match(html, '<strong>&lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Bo&#39;b&quot;</strong>')
  t.notMatch(html, '<b>Ada</b>')
  t.match(text, '<b>Ada</b> & "Bo\'b" (ada@example.com)')
  t.equal(escapeHtml('a<>&"\'z'), 'a&lt;&gt;&amp;&quot;&#39;z')
})

t.test('refuses parts that break their rule, whatever the caller checked', async (t) => {
  t.throws(() => invitationMessage({ ...base, inviterName: 'Ada\nBcc: x' }), /name rule/)
  t.throws(() => invitationMessage({ ...base, inviterName: ' Ada ' }), /name rule/, 'not normalized')
  t.throws(() => invitationMessage({ ...base, inviterName: '\u202eAda' }), /name rule/, 'direction controls')
  t.throws(() => invitationMessage({ ...base, inviterEmail: 'ada@example.com, eve@example.com' }), /one address/)
  t.throws(() => invitationMessage({ ...base, appUrl: 'javascript:alert(1)' }), /http/)
  t.throws(() => invitationMessage({ ...base, appUrl: 'https://x.example/"><script>' }), /http/)
})
