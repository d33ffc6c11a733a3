// Tests for the folder-picker IPC: only the workbench window's main frame may open the dialog, and only for known purposes.
import { describe, expect, it } from 'vitest'
import { ipcChannels } from '../ipcChannels'
import type { InvokeEventLike, IpcMainLike, WindowLike } from './engineHost'
import { type ShowFolderDialog, hostFolderPicker } from './folderPicker'

function setup(answer: string | undefined) {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>()
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel)
  }
  const mainFrame = { url: 'app://lakebench/index.html' }
  const closed: (() => void)[] = []
  const window: WindowLike = {
    webContents: { mainFrame, isDestroyed: () => false, send: () => undefined },
    once: (_event, listener) => closed.push(listener)
  }
  const shown: Parameters<ShowFolderDialog>[0][] = []
  hostFolderPicker(window, (url) => url.startsWith('app://lakebench/'), ipc, async (options) => {
    shown.push(options)
    return answer
  })
  const ask = async (event: InvokeEventLike, purpose: unknown) => {
    const handler = handlers.get(ipcChannels.pickFolder)
    if (!handler) throw new Error('no handler registered')
    return handler(event, purpose)
  }
  return { ask, shown, handlers, trusted: { sender: window.webContents, senderFrame: mainFrame } as InvokeEventLike, window, closeWindow: () => closed.forEach((f) => f()) }
}

describe('hostFolderPicker', () => {
  it('shows the dialog for the main frame and returns the folder picked, or null when cancelled', async () => {
    const picked = setup('/home/ann/lakes/new')
    expect(await picked.ask(picked.trusted, 'create')).toBe('/home/ann/lakes/new')
    expect(picked.shown).toEqual([{ title: 'Choose a folder for the new lakehouse', buttonLabel: 'Create here', createDirectory: true }])
    const cancelled = setup(undefined)
    expect(await cancelled.ask(cancelled.trusted, 'open')).toBeNull()
  })

  it('refuses other senders, embedded frames, untrusted URLs and unknown purposes without showing a dialog', async () => {
    const { ask, shown, window } = setup('/x')
    await expect(ask({ sender: {}, senderFrame: window.webContents.mainFrame as { url: string } }, 'open')).rejects.toThrow('only from the workbench window')
    await expect(ask({ sender: window.webContents, senderFrame: { url: 'app://lakebench/index.html' } }, 'open')).rejects.toThrow('only from the workbench window')
    await expect(ask({ sender: window.webContents, senderFrame: null }, 'open')).rejects.toThrow('only from the workbench window')
    const frame = window.webContents.mainFrame as { url: string }
    frame.url = 'https://evil.example/'
    await expect(ask({ sender: window.webContents, senderFrame: frame }, 'open')).rejects.toThrow('only from the workbench window')
    frame.url = 'app://lakebench/index.html'
    await expect(ask({ sender: window.webContents, senderFrame: frame }, 'delete')).rejects.toThrow('Unknown folder purpose')
    expect(shown).toEqual([])
  })

  it('stops answering when the window closes', () => {
    const { handlers, closeWindow } = setup('/x')
    expect(handlers.has(ipcChannels.pickFolder)).toBe(true)
    closeWindow()
    expect(handlers.has(ipcChannels.pickFolder)).toBe(false)
  })
})
