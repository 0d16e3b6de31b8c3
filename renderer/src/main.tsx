// The renderer's entry: picks the transport (Electron preload or the browser mode's WebSocket),
// starts the controller and mounts the workbench.
import 'dockview/dist/styles/dockview.css';
import '@xterm/xterm/css/xterm.css';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BridgeTransport } from './client/ipc-transport';
import { SessionClient } from './client/session-client';
import { WebSocketTransport, sessionSocketUrl } from './client/ws-transport';
import { Studio } from './state/studio';
import { StudioContext } from './ui/context';
import { App } from './workbench/App';
import { isMenuCommand } from './bridge/futura-api';

const bridge = window.futura;
const transport = bridge
  ? new BridgeTransport(bridge)
  : new WebSocketTransport(sessionSocketUrl(window.location));
const studio = new Studio(new SessionClient(transport));

bridge?.onMenu((command, arg) => {
  if (!isMenuCommand(command)) return;
  if (command === 'workspace.open' && arg) void studio.openWorkspace(arg);
  else studio.run(command);
});

const rootEl = document.getElementById('root');
if (rootEl) {
  createRoot(rootEl).render(
    <StrictMode>
      <StudioContext.Provider value={studio}>
        <App />
      </StudioContext.Provider>
    </StrictMode>,
  );
}
void studio.start();
