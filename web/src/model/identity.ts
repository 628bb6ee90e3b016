import { controlsWrittenOut } from './bidi-controls.js'
import { latinCapitals, latinSmall } from './confusables.js'

/**
 * Telling people apart. Names are free text, so two people can have the same one (or two that
 * only look the same); their ids differ, and a short tag made from the id says who is who. The
 * members panel and every name's hover text show the tag; the messages, typing line and read
 * markers show it next to a name that someone else in the room also has.
 */

export interface Person { readonly id: string, readonly name: string }

/** FNV-1a over the id, then a final mix so that every bit of the result depends on every character. */
export function idHash (id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Crockford's base 32: no I, L, O or U, so no tag reads as another. */
const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const TAG_CHARS = 5

/**
 * Five characters from the id (25 bits, apart from the bits the avatar color uses): stable for a
 * person, and another user would need tens of millions of accounts to get a chosen one.
 */
export function userTag (id: string): string {
  let bits = idHash(id) >>> 7
  let tag = ''
  for (let i = 0; i < TAG_CHARS; i++) {
    tag = DIGITS[bits & 31]! + tag
    bits >>>= 5
  }
  return tag
}

/**
 * A name and its tag, for hover text: "Ada Lovelace #7K2MQ". Direction controls in the name are
 * written out, or one could turn the tag after it around.
 */
export const fullName = (person: Person): string => `${controlsWrittenOut(person.name)} #${userTag(person.id)}`

/** Marks, spaces, punctuation, controls and invisible characters: a name looks the same without them. */
const UNSEEN = /[\p{M}\p{Z}\p{P}\p{C}\p{Default_Ignorable_Code_Point}]/gu

/**
 * What a name looks like, loosely (a "skeleton", as in Unicode UTS #39): compatibility forms
 * folded (full-width letters, ligatures); accents and other marks, spaces, punctuation and
 * invisible characters dropped; letters of other scripts that look Latin written as that Latin (a
 * Cyrillic "А", see confusables.ts); case folded (upper then lower, so "ß" is "ss"); and i, l and
 * 1, 0 and o, m and rn, w and vv taken as one. Names with the same key are taken to look alike.
 * Linear in the name's length.
 */
export function nameKey (name: string): string {
  // NFKD is NFKC then NFD in one. Marks go before case is folded, as folding turns one (U+0345) into a letter.
  const bare = name.normalize('NFKD').replace(UNSEEN, '')
  return latinSmall(latinCapitals(bare).toUpperCase().toLowerCase())
}

/**
 * The keys (see nameKey) that two or more different people are shown with; `previous` itself when
 * they are the same keys, so that what depends on them is not redrawn.
 */
export function sharedNames (people: Iterable<Person>, previous?: ReadonlySet<string>): ReadonlySet<string> {
  const first = new Map<string, string>()
  const shared = new Set<string>()
  for (const { id, name } of people) {
    const key = nameKey(name)
    const other = first.get(key)
    if (other === undefined) first.set(key, id)
    else if (other !== id) shared.add(key)
  }
  const same = previous !== undefined && previous.size === shared.size && [...shared].every((key) => previous.has(key))
  return same ? previous : shared
}

/** The tag to show next to this person's name, when someone else has a name like it. */
export function tagIfShared (person: Person, shared: ReadonlySet<string>): string | undefined {
  return shared.size > 0 && shared.has(nameKey(person.name)) ? userTag(person.id) : undefined
}
