// The preload bridge: exposes call(path, arg) for allow-listed Engine API paths, onEvent(fn) and pickFolder(purpose) to the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isMethodPath } from '../../engine/api/methodPaths'
import { ipcChannels } from '../ipcChannels'

// The page never sees ipcRenderer: only these functions, and call() refuses paths not on the allow-list
// (main checks again; this keeps a compromised page from even reaching other channels).
contextBridge.exposeInMainWorld('lakebench', {
  call(path: unknown, arg?: unknown): Promise<unknown> {
    if (!isMethodPath(path)) return Promise.reject(new Error(`${String(path)} is not an Engine API method`))
    return ipcRenderer.invoke(ipcChannels.call, path, arg)
  },
  onEvent(listener: (event: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, engineEvent: unknown) => listener(engineEvent)
    ipcRenderer.on(ipcChannels.event, forward)
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward)
    }
  },
  // A native folder dialog shown by main: the page gets back only the folder the user chose (or null).
  pickFolder(purpose: 'open' | 'create'): Promise<string | null> {
    return ipcRenderer.invoke(ipcChannels.pickFolder, purpose === 'create' ? 'create' : 'open') as Promise<string | null>
  }
})
