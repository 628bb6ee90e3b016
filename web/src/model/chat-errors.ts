import { isWebchatError } from '@webchat/client'

/** What to tell the user when the chat service refused something (joining, sending, renaming, managing rooms). */
export function errorText (err: unknown): string {
  if (!isWebchatError(err)) return 'something went wrong'
  switch (err.code) {
    case 'too_many_rooms': return 'You are in as many rooms as allowed. Leave one first.'
    case 'invalid_room': return 'That is not a valid room name.'
    case 'text_too_long': return 'the message is too long'
    case 'rate_limited': return 'you are sending too fast'
    case 'invalid_name': return 'That name cannot be used.'
    case 'not_found': return 'Not found: no such room, or it is private.'
    case 'muted': return 'you are muted in this room'
    case 'archived': return 'this room is archived'
    case 'network': return 'The server cannot be reached.'
    case 'unauthorized': return 'Your session has ended.'
    default: return err.message
  }
}
