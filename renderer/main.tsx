// The renderer's entry: connects to the engine (Electron bridge or WebSocket) and mounts the workbench.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import './app/app.css'
import { connectEngine } from './platform/engine'
import { EngineProvider } from './platform/engineContext'

const connection = connectEngine()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EngineProvider connection={connection}>
      <App />
    </EngineProvider>
  </StrictMode>
)
