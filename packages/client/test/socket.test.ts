import t from 'tap'
import { resolveChatUrl } from '../src/socket.js'

t.test('chat URL from /config.json', async (t) => {
  t.equal(resolveChatUrl('/ws', 'http://chat.example:8080/rooms/x'), 'ws://chat.example:8080/ws')
  t.equal(resolveChatUrl('/ws', 'https://chat.example/'), 'wss://chat.example/ws')
  t.equal(resolveChatUrl('ws://127.0.0.1:4001/ws', 'http://127.0.0.1:3000/'), 'ws://127.0.0.1:4001/ws')
  t.equal(resolveChatUrl('wss://chat.example/ws', 'http://localhost/'), 'wss://chat.example/ws')
})
