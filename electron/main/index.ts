// The desktop app's main process: lifecycle, the lakehouse to open, the window, and the engine behind it.
import { fileURLToPath } from 'node:url'
import { BrowserWindow, Menu, app, dialog, ipcMain, session } from 'electron'
import { type Engine, createEngine } from '../../engine/createEngine'
import { hostEngineOverIpc } from './engineHost'
import { createMainWindow } from './mainWindow'
import { buildAppMenu } from './menu'
import { handleRendererProtocol, registerRendererScheme, rendererOrigin } from './rendererProtocol'

const outDir = fileURLToPath(new URL('..', import.meta.url))
// electron-vite sets this in `dev`; packaged and built runs load the renderer through app://.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const startUrl = devServerUrl ?? `${rendererOrigin}/index.html`
const isTrustedUrl = (url: string) => url.startsWith(`${rendererOrigin}/`) || (devServerUrl !== undefined && url.startsWith(devServerUrl))

let engine: Engine | undefined

/** `--lakehouse=DIR` or `--lakehouse DIR` on the command line, else LAKEBENCH_LAKEHOUSE. */
function lakehouseArgument(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith('--lakehouse=')) return arg.slice('--lakehouse='.length)
    if (arg === '--lakehouse') return argv[i + 1]
  }
  return process.env.LAKEBENCH_LAKEHOUSE || undefined
}

async function chooseLakehouse(): Promise<string | undefined> {
  const given = lakehouseArgument(process.argv)
  if (given) return given
  const picked = await dialog.showOpenDialog({ title: 'Open a lakehouse folder', properties: ['openDirectory'] })
  return picked.canceled ? undefined : picked.filePaths[0]
}

async function start(): Promise<void> {
  handleRendererProtocol(`${outDir}renderer`)
  // The page asks for nothing (camera, notifications, ...): refuse every permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  Menu.setApplicationMenu(buildAppMenu(devServerUrl !== undefined))

  const lakehouseDir = await chooseLakehouse()
  if (!lakehouseDir) {
    app.quit()
    return
  }
  try {
    engine = await createEngine({ lakehouseDir })
  } catch (error) {
    dialog.showErrorBox('Cannot open the lakehouse', `${lakehouseDir}\n\n${(error as Error).message}`)
    app.quit()
    return
  }
  const window = createMainWindow({ preloadPath: `${outDir}preload/index.cjs`, startUrl })
  hostEngineOverIpc(engine, window, isTrustedUrl, ipcMain)
}

registerRendererScheme()
app.enableSandbox()

// A second launch focuses the running window instead of opening the same lakehouse twice.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Defence in depth for any web contents that might appear later: no navigation, no new windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    void engine?.close()
    engine = undefined
  })
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Lakebench failed to start', String(error))
    app.quit()
  })
}
