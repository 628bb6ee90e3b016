/** The server did not answer at start. */
export function Problem ({ retry }: { retry (): void }) {
  return (
    <main class='auth'>
      <section class='auth-card' role='alert'>
        <h1>webchat is not reachable</h1>
        <p class='muted'>The server did not answer. Check your connection, then try again.</p>
        <button class='btn btn-primary' type='button' onClick={retry}>Try again</button>
      </section>
    </main>
  )
}
