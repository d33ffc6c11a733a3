// The IPC channel names shared by the preload bridge and the main process's engine host.
export const ipcChannels = {
  /** renderer → main (invoke): (methodPath, arg) → RpcResponse envelope. */
  call: 'lakebench:engine-call',
  /** main → renderer: one EngineEvent. */
  event: 'lakebench:engine-event',
  /** renderer → main (invoke): (purpose) → a folder path the user picked in a native dialog, or null when cancelled. */
  pickFolder: 'lakebench:pick-folder'
} as const
