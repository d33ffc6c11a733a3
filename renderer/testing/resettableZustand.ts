// resettableZustand: zustand's `create` wrapped so every store made in a component test returns to its initial state after each test.
import type * as Zustand from 'zustand'

const resets = new Set<() => void>()

/**
 * The zustand module with `create` replaced: each store it creates is recorded with its initial state (actions
 * included), so resetZustandStores() can put it back. Both `create(fn)` and the curried `create<T>()(fn)` work.
 * Used only by setupDom.ts through vi.mock('zustand'); production code keeps the real module.
 */
export function resettableZustand(actual: typeof Zustand): typeof Zustand {
  const createRecorded = <T>(creator: Zustand.StateCreator<T, [], []>) => {
    const store = actual.create(creator)
    const initial = store.getInitialState()
    resets.add(() => store.setState(initial, true))
    return store
  }
  const create = (<T>(creator?: Zustand.StateCreator<T, [], []>) => (creator ? createRecorded(creator) : createRecorded)) as typeof Zustand.create
  return { ...actual, create }
}

/** Puts every store created so far back to its initial state (call after unmounting, so no component re-renders). */
export function resetZustandStores(): void {
  for (const reset of resets) reset()
}
