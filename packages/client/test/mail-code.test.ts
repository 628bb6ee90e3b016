import t from 'tap'
import { codeIn } from './helpers/stack.js'

t.test('the code of a mail, never digits of its MIME boundary', async (t) => {
  const mail = (boundary: string, code: string): string => [
    'Content-Type: multipart/alternative; boundary="' + boundary + '"', '', '--' + boundary,
    'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '',
    `Your webchat sign-in code is ${code}`, '', '--' + boundary + '--', ''
  ].join('\r\n')
  t.equal(codeIn(mail('--_NmP-5eba2b970344fac0-Part_1', '571442')), '571442')
  t.equal(codeIn(mail('--_NmP-030721c5abdb72c0-Part_1', '356369')), '356369')
  t.equal(codeIn(mail('--_NmP-e71fc771ea885349-Part_1', '263731')), '263731')
  t.equal(codeIn('Subject: x\r\n\r\nYour code is 12=\r\n3456.'), '123456', 'quoted-printable soft break')
  t.equal(codeIn('Subject: 123456\r\n\r\nno code'), undefined)
})
