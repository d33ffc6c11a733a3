// folderPicker: answers the window's "pick a folder" IPC with a native dialog, for opening or creating a lakehouse.
import { ipcChannels } from '../ipcChannels'
import type { InvokeEventLike, IpcMainLike, WindowLike } from './engineHost'

/** Why the page asks; it picks the dialog's title and whether it may create a folder. */
export type FolderPurpose = 'open' | 'create'

/** Shows the native dialog and resolves with the chosen folder, or undefined when cancelled (Electron's dialog fits it). */
export type ShowFolderDialog = (options: { title: string; buttonLabel: string; createDirectory: boolean }) => Promise<string | undefined>

/**
 * Serves ipcChannels.pickFolder to `window` until it closes. Like the engine host, it answers only this window's main
 * frame on a trusted URL; the page can ask for a folder but never names a path itself, so it learns only what the
 * user picked. An unknown purpose is refused.
 */
export function hostFolderPicker(window: WindowLike, isTrustedUrl: (url: string) => boolean, ipc: IpcMainLike, show: ShowFolderDialog): () => void {
  const contents = window.webContents
  const isTrustedSender = (event: InvokeEventLike): boolean =>
    event.sender === contents && event.senderFrame !== null && event.senderFrame === contents.mainFrame && isTrustedUrl(event.senderFrame.url)

  ipc.handle(ipcChannels.pickFolder, async (event, purpose) => {
    if (!isTrustedSender(event)) throw new Error('Folder requests are accepted only from the workbench window')
    if (purpose !== 'open' && purpose !== 'create') throw new Error(`Unknown folder purpose ${String(purpose)}`)
    const picked = await show(
      purpose === 'open'
        ? { title: 'Open a lakehouse folder', buttonLabel: 'Open lakehouse', createDirectory: false }
        : { title: 'Choose a folder for the new lakehouse', buttonLabel: 'Create here', createDirectory: true }
    )
    return picked ?? null
  })
  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    ipc.removeHandler(ipcChannels.pickFolder)
  }
  window.once('closed', stop)
  return stop
}
