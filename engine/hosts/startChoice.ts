// startChoice: which lakehouse `npm start` opens: the last one from the user's recents while it exists, else the sbit sample.
import { homedir } from 'node:os'
import path from 'node:path'
import { RecentLakehouses, isLakehouseFolder } from '../lakehouse/recentLakehouses'

/**
 * The user's Lakebench data folder: $XDG_DATA_HOME/lakebench, else ~/.local/share/lakebench. It holds the recents
 * file and the sample a first start creates, outside any lakehouse.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share')
  return path.join(dataHome, 'lakebench')
}

/** The recents file inside a data folder (the web host's and the CLI's; Electron passes its userData folder). */
export function recentsFileIn(dataDir: string): string {
  return path.join(dataDir, 'recent.json')
}

/** What to open on start, and why (the start script prints it). */
export type StartChoice =
  | { kind: 'recent'; dir: string; name: string }
  | { kind: 'sample'; dir: string; exists: boolean }

/**
 * Picks the lakehouse to open: the most recently opened one whose folder is still a lakehouse; when there is none,
 * the sbit sample at `sampleDir`, with `exists` saying whether it still has to be created (and its pipeline run).
 * Never throws: an unreadable recents file counts as empty.
 */
export async function chooseStartLakehouse(recentsFile: string, sampleDir: string): Promise<StartChoice> {
  for (const entry of await new RecentLakehouses(recentsFile).entries()) {
    if (await isLakehouseFolder(entry.root)) return { kind: 'recent', dir: entry.root, name: entry.name }
  }
  return { kind: 'sample', dir: path.resolve(sampleDir), exists: await isLakehouseFolder(sampleDir) }
}
