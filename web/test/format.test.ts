import t from 'tap'
import { dayLabel, formatWait, sameDay } from '../src/model/format.js'
import { typingText } from '../src/model/typing.js'
import { initials, colorClass } from '../src/model/avatar.js'

t.test('waits in words', async (t) => {
  t.same([0, 1, 42, 59.2, 60, 61, 600, 3600, 3900].map(formatWait), ['0 s', '1 s', '42 s', '1 min', '1 min', '2 min', '10 min', '1 h', '1 h 5 min'])
})

t.test('day labels', async (t) => {
  const now = new Date(2030, 5, 15, 10, 0).getTime()
  t.equal(dayLabel(new Date(2030, 5, 15, 0, 1).getTime(), now), 'Today')
  t.equal(dayLabel(new Date(2030, 5, 14, 23, 59).getTime(), now), 'Yesterday')
  t.notOk(/2030/.test(dayLabel(new Date(2030, 5, 1).getTime(), now)), 'this year: no year')
  t.match(dayLabel(new Date(2029, 5, 1).getTime(), now), /2029/)
  t.ok(sameDay(new Date(2030, 1, 1, 0, 0).getTime(), new Date(2030, 1, 1, 23, 59).getTime()))
})

t.test('typing line', async (t) => {
  t.equal(typingText([]), '')
  t.equal(typingText(['Ana']), 'Ana is typing…')
  t.equal(typingText(['Ana', 'Ben']), 'Ana and Ben are typing…')
  t.equal(typingText(['Ana', 'Ben', 'Cy']), 'Ana, Ben and Cy are typing…')
  t.equal(typingText(['Ana', 'Ben', 'Cy', 'Di']), 'Several people are typing…')
})

t.test('avatars', async (t) => {
  t.equal(initials('Ana'), 'A')
  t.equal(initials('  ana maría  lópez '), 'AL')
  t.equal(initials('😀 smile'), '😀S')
  t.equal(initials(''), '?')
  t.match(colorClass('u1'), /^av-[0-7]$/)
  t.equal(colorClass('u1'), colorClass('u1'))
})
