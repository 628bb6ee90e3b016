import { Component, type ComponentChild } from 'preact'

/**
 * A component drawn again only when one of its props changed (by identity). A long list's rows
 * use it, so that a new message or read marker redraws the rows it touches, not all of them.
 */
export function pure<P extends object> (render: (props: P) => ComponentChild): new (props: P) => Component<P> {
  return class Pure extends Component<P> {
    override shouldComponentUpdate (next: P): boolean {
      const now = this.props as Record<string, unknown>
      const then = next as Record<string, unknown>
      for (const key in then) if (then[key] !== now[key]) return true
      for (const key in now) if (!(key in then)) return true
      return false
    }

    override render (props: P): ComponentChild { return render(props) }
  }
}
