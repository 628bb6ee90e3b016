import { LIMITS } from '@webchat/shared'
import type { Person } from './identity.js'

/** `@room`: everyone in the room. */
export const ROOM_MENTION = 'room'

/** The `@…` being typed just before the caret: where its `@` is and what follows it. */
export interface MentionQuery { readonly start: number, readonly query: string }

/** A suggestion under the composer: a member, or `@room` (id `ROOM_MENTION`). */
export interface Suggestion { readonly id: string, readonly name: string }

const MAX_SUGGESTIONS = 8

/**
 * The mention being typed at `caret`, if any: an `@` at the start or after a space, then up to
 * the caret no line break and at most a name's length (names may hold spaces).
 */
export function mentionQuery (text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at < 0 || (at > 0 && !/\s/u.test(before[at - 1]!))) return null
  const query = before.slice(at + 1)
  if (/[\n@]/u.test(query) || [...query].length > LIMITS.nameChars) return null
  return { start: at, query }
}

const fold = (s: string): string => s.normalize('NFKC').toLocaleLowerCase()

/**
 * Who `query` may mean: people of the room (not me, with a name) whose name, or a word of it,
 * starts with it; then `@room` when I may use it. Names starting with it come first.
 */
export function suggestions (people: Iterable<Person>, query: string, me: string, roomAllowed: boolean): Suggestion[] {
  const q = fold(query)
  const starts: Suggestion[] = []
  const words: Suggestion[] = []
  for (const p of people) {
    if (p.id === me || p.name === '') continue
    const name = fold(p.name)
    if (name.startsWith(q)) starts.push(p)
    else if (name.split(/\s+/u).some((w) => w.startsWith(q))) words.push(p)
  }
  const byName = (a: Suggestion, b: Suggestion): number => a.name.localeCompare(b.name)
  const found = [...starts.sort(byName), ...words.sort(byName)].slice(0, MAX_SUGGESTIONS)
  if (roomAllowed && ROOM_MENTION.startsWith(q)) found.push({ id: ROOM_MENTION, name: ROOM_MENTION })
  return found.map(({ id, name }) => ({ id, name }))
}

/** The text with the query at `at` replaced by `@Name ` and where the caret goes after it. */
export function insertMention (text: string, at: MentionQuery, caret: number, name: string): { text: string, caret: number } {
  const inserted = `@${name} `
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length }
}

/**
 * What a message mentions: of the people picked while writing it, those whose `@Name` is still in
 * the text (a mention typed by hand without picking names nobody), and whether `@room` is.
 */
export function mentionsIn (text: string, picked: ReadonlyMap<string, string>): { mentions: string[], mentionsRoom: boolean } {
  const has = (name: string): boolean => new RegExp(`(^|\\s)@${name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(?![\\p{L}\\p{N}_])`, 'u').test(text)
  const mentions: string[] = []
  let mentionsRoom = false
  for (const [id, name] of picked) {
    if (!has(name)) continue
    if (id === ROOM_MENTION) mentionsRoom = true
    else mentions.push(id)
  }
  return { mentions: mentions.slice(0, LIMITS.mentionsPerMessage), mentionsRoom }
}
