/**
 * A read marker's value (the kv key `names.readMarker`): `<id> <seq> <epoch>`, the newest message
 * the user read, its number and the log epoch that number belongs to. Markers written before
 * numbers existed hold `<id>` alone: they count as number 0 (everything numbered is unread).
 */
export interface Marker { id: string, seq: number, epoch: string | null }

const ID = /^\d+-\d+$/

export function parseMarker (value: string | null): Marker | null {
  if (value === null) return null
  const [id = '', seq, epoch] = value.split(' ')
  if (!ID.test(id)) return null
  const n = Number(seq ?? 0)
  return { id, seq: Number.isSafeInteger(n) && n >= 0 ? n : 0, epoch: epoch ?? null }
}

export const formatMarker = ({ id, seq, epoch }: Marker): string => `${id} ${seq} ${epoch ?? ''}`.trimEnd()

/**
 * The number the user has read up to in the room's current epoch: a marker of another epoch (the
 * log was lost and numbering started over) or of none counts as 0.
 */
export const readSeqOf = (marker: Marker | null, epoch: string | null): number =>
  marker !== null && epoch !== null && marker.epoch === epoch ? marker.seq : 0

/** The message id a stored marker names (what `joined` carries as `lastRead`). */
export const markerId = (value: string | null): string | null => parseMarker(value)?.id ?? null
