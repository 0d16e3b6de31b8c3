// The Electron main process: one window showing the renderer over app://, the application menu,
// native dialogs, and the Session in a worker thread behind IPC.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  screen,
  session as electronSession,
  webContents,
} from 'electron';
import { join } from 'node:path';
import { registerAppScheme, serveApp } from './app-protocol';
import { APP_URL, IPC } from './ipc-channels';
import { menuTemplate } from './menu';
import { SessionHost } from './session-host';
import { isAllowedNavigation, isTrustedSender, windowOptions } from './security';
import { fitToDisplays, loadBounds, saveBounds } from './window-state';

// dist/electron/main.cjs → the project (or app.asar) root is two levels up.
const appRoot = join(__dirname, '..', '..');
const rendererDir = join(appRoot, 'dist', 'renderer');
const sampleDir = app.isPackaged
  ? join(process.resourcesPath, 'sample-userland')
  : join(appRoot, 'sample-userland');

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
let host: SessionHost | null = null;

function send(channel: string, ...args: unknown[]): void {
  if (win && !win.isDestroyed()) win.webContents.send(channel, ...args);
}

async function openWorkspace(): Promise<void> {
  if (!win) return;
  const r = await dialog.showOpenDialog(win, {
    title: 'Open Workspace',
    properties: ['openDirectory', 'createDirectory'],
  });
  const dir = r.filePaths[0];
  if (!r.canceled && dir) send(IPC.menu, 'workspace.open', dir);
}

function about(): void {
  void dialog.showMessageBox({
    type: 'info',
    title: 'About Futura Studio',
    message: `Futura Studio ${app.getVersion()}`,
    detail: `An IDE for the Futura OS: RISC-V emulator, Futura kernel, C toolchain and live kernel views.\n\nElectron ${process.versions.electron} · Node ${process.versions.node}`,
  });
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const bounds = fitToDisplays(
    loadBounds(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  win = new BrowserWindow(windowOptions(bounds, join(__dirname, 'preload.cjs')));
  const wc = win.webContents;
  // The window is a session client (by its webContents id): its observation ends with it.
  const client = wc.id;
  wc.once('destroyed', () => host?.disconnect(client));
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => {
    if (win && !win.isMinimized()) saveBounds(stateFile, win.getNormalBounds());
  });
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(APP_URL);
}

app.on('web-contents-created', (_e, contents) => {
  // No <webview>, no extra windows, anywhere.
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  // Deny every permission request (camera, notifications…): the IDE needs none.
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  serveApp(rendererDir);
  // The worker is bundled next to main.cjs; electron-builder unpacks it from the asar archive
  // (asarUnpack), since worker threads load their script from the real file system.
  const workerFile = join(__dirname, 'session-worker.cjs').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  host = new SessionHost(workerFile, { sampleDir });
  host.onEvent((event, client) => {
    const to = webContents.fromId(client);
    if (to && !to.isDestroyed()) to.send(IPC.event, event);
  });
  ipcMain.handle(IPC.request, (e, message: unknown) => {
    if (!isTrustedSender(e.senderFrame?.url)) {
      return { id: null, ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    }
    return host?.request(message, e.sender.id);
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        { command: (c) => send(IPC.menu, c), openWorkspace: () => void openWorkspace(), about },
        process.platform,
      ),
    ),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('second-instance', () => {
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void host?.dispose();
});
