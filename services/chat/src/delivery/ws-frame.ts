/**
 * One unmasked WebSocket text frame (RFC 6455 §5.2, FIN set, opcode 1) holding `text`, header and
 * payload in one buffer. Server frames are never masked, so the same bytes serve every socket: a
 * room's frames are encoded and framed once per instance and written to each socket as they are.
 */
export function frameText (text: string): Buffer {
  const length = Buffer.byteLength(text)
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + length)
  frame[0] = 0x81
  if (header === 2) {
    frame[1] = length
  } else if (header === 4) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  frame.write(text, header, 'utf8')
  return frame
}

/** The payload of a frame made by frameText (for ws.send, when the frame cannot be written as is). */
export const payloadOf = (frame: Buffer): Buffer => frame.subarray((frame[1]! & 0x7f) === 127 ? 10 : (frame[1]! & 0x7f) === 126 ? 4 : 2)
