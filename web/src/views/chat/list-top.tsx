interface Props {
  /** The room as it is called ("#general", "Launch"). */
  room: string
  empty: boolean
  more: boolean
  loading: boolean
  loadOlder (): void
}

/** Above the messages: "Load older messages" while there are older ones, else where the room begins. */
export function ListTop ({ room, empty, more, loading, loadOlder }: Props) {
  const hasOlder = more && !empty
  return (
    <div class='list-top'>
      <button class='btn btn-small' type='button' hidden={!hasOlder} disabled={loading} onClick={loadOlder}>
        {loading ? 'Loading…' : 'Load older messages'}
      </button>
      <p class='list-top-note muted' hidden={hasOlder}>
        {empty ? `No messages in ${room} yet. Say hello!` : `This is the beginning of ${room}.`}
      </p>
    </div>
  )
}
