/**
 * A connection's place in one room. While `buffer` is set (a join or resume is reading the log)
 * live frames for the room are held in it and flushed once the snapshot is sent.
 */
export interface Membership {
  state: 'joining' | 'joined' | 'left'
  buffer: string[] | null
  /** The room feed's sequence number of the last frame put in `buffer` (0: none). */
  heldUpTo: number
}
