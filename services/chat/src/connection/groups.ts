import type { Connection } from './connection.js'

const NONE: readonly Connection[] = []

/**
 * Connections grouped by a key (a session, a user). Most groups hold one connection, stored as
 * itself: a Set only for the second tab, so an idle connection costs one map entry here.
 */
export class ConnectionGroups {
  private readonly groups = new Map<string, Connection | Set<Connection>>()

  add (key: string, conn: Connection): void {
    const group = this.groups.get(key)
    if (group === undefined) this.groups.set(key, conn)
    else if (group instanceof Set) group.add(conn)
    else if (group !== conn) this.groups.set(key, new Set([group, conn]))
  }

  /** Removes `conn`; true when its group is now empty. */
  delete (key: string, conn: Connection): boolean {
    const group = this.groups.get(key)
    if (group === conn) {
      this.groups.delete(key)
      return true
    }
    if (!(group instanceof Set) || !group.delete(conn)) return false
    if (group.size === 1) this.groups.set(key, group.values().next().value!)
    return false
  }

  /** Every key with at least one connection. */
  keys (): IterableIterator<string> {
    return this.groups.keys()
  }

  get (key: string): Iterable<Connection> {
    const group = this.groups.get(key)
    return group === undefined ? NONE : group instanceof Set ? [...group] : [group]
  }

  get size (): number { return this.groups.size }
}
