// mainWindow: the one workbench window, locked down (sandbox, context isolation, no navigation, no new windows).
import { BrowserWindow, nativeTheme, shell } from 'electron'

export interface MainWindowOptions {
  /** Absolute path of the CommonJS preload (out/preload/index.cjs). */
  preloadPath: string
  /** The renderer page to load (app://lakebench/index.html, or the dev server's URL). */
  startUrl: string
}

/**
 * Creates and loads the workbench window. The page runs sandboxed with no Node access; it reaches the engine only
 * through the preload bridge. It can never navigate away or open windows: links to http(s) open in the system browser.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Lakebench',
    // The page follows the OS theme by default: paint the first frame to match, so a dark desktop sees no white flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16191f' : '#f5f6f8',
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false
    }
  })
  const contents = window.webContents
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.startUrl)
  return window
}
