// The desktop app's main process: lifecycle, the lakehouse to open, the window, and the engine behind it.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BrowserWindow, Menu, app, dialog, ipcMain, session } from 'electron'
import { type Engine, buildSampleLakehouse, chooseStartLakehouse, createEngine, openLiveSampleProducer, userDataDir } from '../../engine/createEngine'
import { hostEngineOverIpc } from './engineHost'
import { hostFolderPicker } from './folderPicker'
import { createMainWindow } from './mainWindow'
import { buildAppMenu } from './menu'
import { handleRendererProtocol, registerRendererScheme, rendererOrigin } from './rendererProtocol'

const outDir = fileURLToPath(new URL('..', import.meta.url))
// electron-vite sets this in `dev`; packaged and built runs load the renderer through app://.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const startUrl = devServerUrl ?? `${rendererOrigin}/index.html`
const isTrustedUrl = (url: string) => url.startsWith(`${rendererOrigin}/`) || (devServerUrl !== undefined && url.startsWith(devServerUrl))

let engine: Engine | undefined
// Bundled, samples/ code no longer sits beside its pipeline and query files: point it at the checkout's samples/ folder.
process.env.LAKEBENCH_SAMPLES_DIR ??= join(outDir, '..', 'samples')

/** `--lakehouse=DIR` or `--lakehouse DIR` on the command line, else LAKEBENCH_LAKEHOUSE. */
function lakehouseArgument(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith('--lakehouse=')) return arg.slice('--lakehouse='.length)
    if (arg === '--lakehouse') return argv[i + 1]
  }
  return process.env.LAKEBENCH_LAKEHOUSE || undefined
}

/** The desktop app's recents live in its own userData folder, outside any lakehouse. */
const recentsFile = () => join(app.getPath('userData'), 'recent.json')

/**
 * The lakehouse named on the command line; else the last one of the recents while it exists; else the sbit sample in
 * the user's data folder, built (and its pipeline run once) on the first start, so a new user lands on real tables.
 */
async function chooseLakehouse(): Promise<string> {
  const given = lakehouseArgument(process.argv)
  if (given) return given
  const choice = await chooseStartLakehouse(recentsFile(), join(userDataDir(), 'sbit'))
  if (choice.kind === 'sample' && !choice.exists) {
    await buildSampleLakehouse(choice.dir, 'sbit', (step) => console.log(`Creating the sample lakehouse: ${step.label}…`))
  }
  return choice.dir
}

async function pickFolder(options: { title: string; buttonLabel: string; createDirectory: boolean }): Promise<string | undefined> {
  const focused = BrowserWindow.getFocusedWindow()
  const properties: ('openDirectory' | 'createDirectory')[] = options.createDirectory ? ['openDirectory', 'createDirectory'] : ['openDirectory']
  const request = { title: options.title, buttonLabel: options.buttonLabel, properties }
  const picked = focused ? await dialog.showOpenDialog(focused, request) : await dialog.showOpenDialog(request)
  return picked.canceled ? undefined : picked.filePaths[0]
}

async function start(): Promise<void> {
  handleRendererProtocol(`${outDir}renderer`)
  // The page asks for nothing (camera, notifications, ...): refuse every permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  Menu.setApplicationMenu(buildAppMenu(devServerUrl !== undefined))

  let lakehouseDir = ''
  try {
    lakehouseDir = await chooseLakehouse()
    engine = await createEngine({ lakehouseDir, recentsFile: recentsFile(), buildSample: buildSampleLakehouse, liveProducer: openLiveSampleProducer })
  } catch (error) {
    dialog.showErrorBox('Cannot open the lakehouse', `${lakehouseDir}\n\n${(error as Error).message}`)
    app.quit()
    return
  }
  const window = createMainWindow({ preloadPath: `${outDir}preload/index.cjs`, startUrl })
  hostEngineOverIpc(engine, window, isTrustedUrl, ipcMain)
  hostFolderPicker(window, isTrustedUrl, ipcMain, pickFolder)
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
