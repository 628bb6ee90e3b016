/** Frames of one room from one flush, encoded and framed once for every socket that gets them all. */
export interface Batch {
  readonly payloads: string[]
  /** The WebSocket frame: the payload itself when alone, else the JSON array of them. */
  frame (): Buffer
}

export function createBatch (payloads: string[], encode: (text: string) => Buffer): Batch {
  let framed: Buffer | undefined
  return {
    payloads,
    frame: () => (framed ??= encode(payloads.length === 1 ? payloads[0]! : `[${payloads.join(',')}]`))
  }
}
