import t from 'tap'
import { mailboxOf } from '../../../src/plugins/app/invitations.js'

t.test('mailboxOf: the spellings of one inbox share one daily mail count', async (t) => {
  const same: Array<[string, string[]]> = [
    ['victim@example.com', ['victim+1@example.com', 'Victim+news@EXAMPLE.com', 'victim+@example.com', 'victim+a+b@example.com']],
    // Gmail ignores dots in the local part, and googlemail.com is gmail.com.
    ['victim@gmail.com', ['v.i.c.t.i.m@gmail.com', 'Vic.tim+x@gmail.com', 'victim@googlemail.com', 'vic.tim+y@googlemail.com']]
  ]
  for (const [inbox, spellings] of same) {
    for (const spelling of spellings) t.equal(mailboxOf(spelling), mailboxOf(inbox), `${spelling} is ${inbox}`)
  }
  const apart: Array<[string, string]> = [
    ['victim@example.com', 'vic.tim@example.com'],
    ['victim@example.com', 'victim@example.org'],
    ['+victim@example.com', 'victim@example.com'],
    ['victim@gmail.com', 'victim@gmail.com.example']
  ]
  for (const [a, b] of apart) t.not(mailboxOf(a), mailboxOf(b), `${a} and ${b} are two inboxes`)
  t.notMatch(mailboxOf('victim@example.com'), /victim|example/, 'a digest: the key does not spell the address')
})
