import type { ChatMessage } from '@webchat/shared'
import { http } from './http.js'

/**
 * Every message of a room's log, oldest first, read through the chat service's HTTP route
 * (`GET /api/rooms/:room/messages`, pages of 100 backwards) with a chat token (not consumed).
 */
export async function readRoomLog (chatUrl: string, token: string, room: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = []
  let before: string | undefined
  for (let page = 0; page < 100; page++) {
    const query = `limit=100${before === undefined ? '' : `&before=${before}`}`
    const answer = await http(`${chatUrl}/api/rooms/${room}/messages?${query}`, { headers: { authorization: `Bearer ${token}` } })
    if (answer.status !== 200) throw new Error(`reading the log of ${room}: ${answer.status} ${answer.text}`)
    const { messages, more } = answer.json as { messages: ChatMessage[], more: boolean }
    all.unshift(...messages)
    if (!more || messages.length === 0) return all
    before = messages[0]!.id
  }
  throw new Error(`the log of ${room} has more than 100 pages`)
}
