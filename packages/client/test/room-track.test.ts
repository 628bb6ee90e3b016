import t from 'tap'
import { createRoomTrack } from '../src/room-track.js'

t.test('admits each id once and remembers the newest', async (t) => {
  const track = createRoomTrack('lobby')
  t.same(track.joinFrame(), { type: 'join', room: 'lobby' })
  t.equal(track.admit('2-0'), true)
  t.equal(track.admit('1-0'), true, 'an older id not seen yet is new')
  t.equal(track.admit('2-0'), false)
  t.equal(track.lastId, '2-0')
  track.epoch = 'E'
  t.same(track.joinFrame(), { type: 'join', room: 'lobby', since: '2-0', epoch: 'E' })
  track.reset()
  t.equal(track.lastId, undefined)
  t.equal(track.admit('2-0'), true)
})

t.test('stays bounded: evicted old ids still count as seen', async (t) => {
  const track = createRoomTrack('busy')
  let admitted = 0
  for (let i = 1; i <= 5000; i++) if (track.admit(`${i}-0`)) admitted++
  t.equal(admitted, 5000)
  t.equal(track.admit('1-0'), false, 'evicted, below the floor')
  t.equal(track.admit('4999-0'), false, 'still in the set')
  t.equal(track.admit('5001-0'), true)
  t.equal(track.lastId, '5001-0')
})
