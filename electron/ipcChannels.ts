// The IPC channel names shared by the preload bridge and the main process's engine host.
export const ipcChannels = {
  /** renderer → main (invoke): (methodPath, arg) → RpcResponse envelope. */
  call: 'lakebench:engine-call',
  /** main → renderer: one EngineEvent. */
  event: 'lakebench:engine-event'
} as const
