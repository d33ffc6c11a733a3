// folderPicker: the desktop app's native folder dialog (through the preload bridge); absent in the browser.

export type FolderPurpose = 'open' | 'create'

/**
 * The native folder dialog when the page runs in the desktop app, else undefined (the browser cannot reveal real
 * paths, so it types one). The function resolves with the folder picked, or null when the user cancelled.
 */
export function nativeFolderPicker(): ((purpose: FolderPurpose) => Promise<string | null>) | undefined {
  const bridge = typeof window === 'undefined' ? undefined : window.lakebench
  const pick = bridge?.pickFolder
  return pick ? (purpose) => pick.call(bridge, purpose) : undefined
}
