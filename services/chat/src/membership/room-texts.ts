import { errors } from '../errors.js'

export interface RoomTextBounds {
  maxTitleChars: number
  maxTopicChars: number
}

const chars = (text: string): number => [...text].length

/**
 * The operator's bounds on a room's title and topic (ROOM_TITLE_MAX_CHARS, ROOM_TOPIC_MAX_CHARS),
 * which may be tighter than the protocol's: checked wherever users or backends set either. Counted
 * in characters (code points), so an emoji is one, as a person counts them.
 */
export function checkRoomTexts (bounds: RoomTextBounds, texts: { title?: string | undefined, topic?: string | undefined }): void {
  if (texts.title !== undefined && chars(texts.title) > bounds.maxTitleChars) {
    throw new errors.BadRequest(`a room's title holds at most ${bounds.maxTitleChars} characters`)
  }
  if (texts.topic !== undefined && chars(texts.topic) > bounds.maxTopicChars) {
    throw new errors.BadRequest(`a room's topic holds at most ${bounds.maxTopicChars} characters`)
  }
}
