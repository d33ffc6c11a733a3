// setupDom: per-file setup of the `dom` vitest project: fresh stores and an empty document after every component test.
import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
import { resetZustandStores } from './resettableZustand'

// Feature stores are module-level singletons; without a reset one test's open table or editor text leaks into the next.
vi.mock('zustand', async (importOriginal) => {
  const { resettableZustand } = await import('./resettableZustand')
  return resettableZustand(await importOriginal())
})

afterEach(() => {
  // Unmount first so resetting the stores re-renders nothing.
  cleanup()
  resetZustandStores()
})
