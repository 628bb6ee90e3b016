import { createHash } from 'node:crypto'

/**
 * A UUID-shaped id made from `parts` (version 5's layout, over SHA-256): the same parts give the
 * same id on every instance and after every retry, so that what is sent twice is recognisable as
 * one thing (a webhook event, a mail).
 */
export function derivedUuid (parts: string[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
