import t from 'tap'
import { ROOM_NAME_PATTERN } from '@webchat/shared'
import { WebchatError } from '@webchat/client'
import { errorText } from '../src/model/chat-errors.js'
import { roomFromPath, roomPath } from '../src/model/room-path.js'

t.test('a room in the address', async (t) => {
  t.equal(roomPath('dev'), '/r/dev')
  t.equal(roomFromPath('/r/dev'), 'dev')
  t.equal(roomFromPath('/r/design-review/'), 'design-review')
  t.equal(roomFromPath(`/r/${'a'.repeat(64)}`), 'a'.repeat(64))
  for (const path of ['/', '/r/', '/r/Dev', `/r/${'a'.repeat(65)}`, '/r/a/b', '/x/dev', '/r/a%20b']) {
    t.equal(roomFromPath(path), undefined, `${path}: not a room (${ROOM_NAME_PATTERN})`)
  }
})

t.test('what a refusal of the chat service says', async (t) => {
  t.equal(errorText(new WebchatError('too_many_rooms', 'x')), 'You are in as many rooms as allowed. Leave one first.')
  t.equal(errorText(new WebchatError('unauthorized', 'x')), 'Your session has ended.')
  t.equal(errorText(new WebchatError('internal', 'the server broke')), 'the server broke', 'others say what the server said')
  t.equal(errorText(new Error('boom')), 'something went wrong')
})
