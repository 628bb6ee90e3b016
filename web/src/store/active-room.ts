import { computed, type ReadonlySignal } from '@preact/signals'
import type { ChatMessage } from '@webchat/shared'
import { sharedNames, type Person } from '../model/identity.js'
import type { PendingMessage } from '../model/pending.js'
import { memberList, namedPeople, readersByMessage } from '../model/room-people.js'
import type { RoomInfo } from '../model/room-info.js'
import type { MemberView, RoomState } from '../model/room-state.js'
import type { ChatState } from './chat-state.js'

/**
 * The open room, part by part. Each part is a computed signal that changes only when its own
 * part of the room state does (the model shares unchanged parts), so a typing event does not
 * redraw the messages, nor a new message the members.
 */
export interface ActiveRoom {
  readonly messages: ReadonlySignal<readonly ChatMessage[]>
  readonly pending: ReadonlySignal<readonly PendingMessage[]>
  readonly typing: ReadonlySignal<RoomState['typing']>
  /** Who has read up to which message, without me. */
  readonly readers: ReadonlySignal<ReadonlyMap<string, Person[]>>
  /** Names (as `nameKey`s) that two or more people in the room have: these show with their tags. */
  readonly sharedNames: ReadonlySignal<ReadonlySet<string>>
  /** Its kind, title, topic, and my role and mute in it. */
  readonly info: ReadonlySignal<RoomInfo>
  /** People banned here that I know of. */
  readonly banned: ReadonlySignal<ReadonlyMap<string, Person>>
  /** Online first, then by name; with roles in a room with a roster. */
  readonly members: ReadonlySignal<readonly MemberView[]>
  readonly more: ReadonlySignal<boolean>
  readonly loadingOlder: ReadonlySignal<boolean>
  readonly joined: ReadonlySignal<boolean>
  /** Messages that arrived below while the reader was scrolled up (0: none to point at). */
  readonly newBelow: ReadonlySignal<number>
}

export function createActiveRoom (state: ChatState): ActiveRoom {
  const part = <K extends keyof RoomState>(key: K): ReadonlySignal<RoomState[K]> => computed(() => state.room.value[key])
  const messages = part('messages')
  const reads = part('reads')
  const members = part('members')
  const unread = part('unread')
  const typing = part('typing')
  const roster = part('roster')
  let shared: ReadonlySet<string> = new Set()
  return {
    messages,
    pending: part('pending'),
    typing,
    readers: computed(() => readersByMessage({ messages: messages.value, reads: reads.value }, state.me.value.id)),
    sharedNames: computed(() => {
      const room = { members: members.value, roster: roster.value, messages: messages.value, reads: reads.value, typing: typing.value }
      shared = sharedNames(namedPeople(room, state.me.value), shared)
      return shared
    }),
    info: part('info'),
    banned: part('banned'),
    members: computed(() => memberList({ members: members.value, roster: roster.value })),
    more: part('more'),
    loadingOlder: part('loadingOlder'),
    joined: part('joined'),
    newBelow: computed(() => state.atBottom.value ? 0 : unread.value)
  }
}
