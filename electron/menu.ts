// The application menu of issue 7, as a pure template builder. Shortcuts are shown in the menu
// but not registered (registerAccelerator: false): the renderer handles the keys itself, the
// same way in Electron and in the browser, so nothing fires twice.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../renderer/src/bridge/futura-api';

export interface MenuHandlers {
  command(cmd: MenuCommand): void;
  openWorkspace(): void;
  about(): void;
}

const item = (label: string, click: () => void, accelerator?: string): MenuItemConstructorOptions =>
  accelerator ? { label, click, accelerator, registerAccelerator: false } : { label, click };

export function menuTemplate(h: MenuHandlers, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const cmd = (label: string, c: MenuCommand, accelerator?: string): MenuItemConstructorOptions =>
    item(label, () => h.command(c), accelerator);
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        item('Open Workspace…', () => h.openWorkspace(), 'CmdOrCtrl+O'),
        cmd('New File', 'file.new', 'CmdOrCtrl+N'),
        { type: 'separator' },
        cmd('Save', 'file.save', 'CmdOrCtrl+S'),
        cmd('Save All', 'file.saveAll', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        { role: 'quit', label: 'Quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'Build',
      submenu: [cmd('Build', 'build.build', 'CmdOrCtrl+Shift+B'), cmd('Rebuild', 'build.rebuild')],
    },
    {
      label: 'Run',
      submenu: [
        cmd('Boot', 'run.boot', 'F5'),
        cmd('Reboot', 'run.reboot'),
        cmd('Pause/Resume', 'run.pauseResume', 'F6'),
        cmd('Step', 'run.step', 'F10'),
        cmd('Reset', 'run.reset'),
        { type: 'separator' },
        cmd('Continue', 'debug.continue', 'F8'),
        cmd('Step Into', 'debug.stepInto', 'F11'),
        cmd('Step Out', 'debug.stepOut', 'Shift+F11'),
      ],
    },
    {
      label: 'View',
      submenu: [
        cmd('Explorer', 'view.explorer'),
        cmd('Problems', 'view.problems'),
        cmd('Build Output', 'view.output'),
        cmd('Console', 'view.console'),
        { type: 'separator' },
        cmd('Processes', 'view.processes'),
        cmd('Memory Map', 'view.memory'),
        cmd('Wait Queues', 'view.waitqueues'),
        cmd('FIPC Channels', 'view.channels'),
        cmd('Scheduler', 'view.scheduler'),
        cmd('Timers', 'view.timers'),
        cmd('Display', 'view.display'),
        cmd('Charts', 'view.charts'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { label: 'Help', submenu: [item('About Futura Studio', () => h.about())] },
  ];
  if (mac) template.unshift({ role: 'appMenu' });
  return template;
}
