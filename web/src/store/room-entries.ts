import { batch } from '@preact/signals'
import { createRoomState } from '../model/room-state.js'
import type { RoomInfo } from '../model/room-info.js'
import { DEFAULT_ROOMS } from '../model/saved-rooms.js'
import type { ChatState } from './chat-state.js'
import type { ChatConnection } from './connection-feed.js'

/** Adding rooms to my list and taking them off it, for the actions and the server's events alike. */

/** Adds a room (and joins it on the connection), or gives a listed one its new details. */
export function putRoom (state: ChatState, conn: ChatConnection, name: string, info: RoomInfo): void {
  const room = state.rooms.peek().get(name)
  if (room === undefined) {
    state.rooms.value = new Map(state.rooms.peek()).set(name, createRoomState(name, info))
  } else if (room.info !== info) {
    state.rooms.value = new Map(state.rooms.peek()).set(name, { ...room, info })
  }
  // Joining is idempotent on the connection: a room it already tracks is not joined twice.
  conn.join(name).catch(() => { /* a refusal arrives as an error event */ })
}

/**
 * Takes a room off the list; when it was the open one, the first other opens. The list is never
 * empty: without rooms, the default room is joined.
 */
export function dropRoom (state: ChatState, conn: ChatConnection, name: string, select: (name: string) => void): void {
  if (!state.rooms.peek().has(name)) return
  const rooms = new Map(state.rooms.peek())
  rooms.delete(name)
  const fallback = DEFAULT_ROOMS[0]!
  const empty = rooms.size === 0
  if (empty) rooms.set(fallback, createRoomState(fallback))
  // One change: nothing sees the open room gone before another opens.
  batch(() => {
    state.rooms.value = rooms
    if (state.active.peek() === name) select([...rooms.keys()][0]!)
  })
  if (empty) conn.join(fallback).catch(() => {})
}
