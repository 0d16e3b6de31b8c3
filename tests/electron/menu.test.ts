import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../electron/menu';

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const it = items.find((i) => i.label === label);
  if (!it) throw new Error(`no menu item ${label}`);
  return it;
}
const sub = (i: MenuItemConstructorOptions): MenuItemConstructorOptions[] =>
  Array.isArray(i.submenu) ? (i.submenu as MenuItemConstructorOptions[]) : [];
const click = (i: MenuItemConstructorOptions): void => (i.click as unknown as () => void)();

describe('application menu', () => {
  const calls: string[] = [];
  const t = menuTemplate(
    {
      command: (c) => calls.push(c),
      openWorkspace: () => calls.push('open'),
      about: () => calls.push('about'),
    },
    'linux',
  );

  it('has the menus of issue 7', () => {
    expect(t.map((m) => m.label)).toEqual(['File', 'Edit', 'Build', 'Run', 'View', 'Help']);
    const labels = (name: string): (string | undefined)[] =>
      sub(find(t, name))
        .filter((i) => i.type !== 'separator')
        .map((i) => i.label);
    expect(labels('File')).toEqual(['Open Workspace…', 'New File', 'Save', 'Save All', 'Quit']);
    expect(labels('Build')).toEqual(['Build', 'Rebuild']);
    expect(labels('Run')).toEqual([
      'Boot',
      'Reboot',
      'Pause/Resume',
      'Step',
      'Reset',
      'Continue',
      'Step Into',
      'Step Out',
    ]);
    expect(labels('View')).toEqual(
      expect.arrayContaining([
        'Explorer',
        'Problems',
        'Console',
        'Processes',
        'Memory Map',
        'Wait Queues',
        'FIPC Channels',
        'Charts',
      ]),
    );
  });

  it('dispatches commands and dialogs', () => {
    calls.length = 0;
    click(find(sub(find(t, 'File')), 'Open Workspace…'));
    click(find(sub(find(t, 'File')), 'Save'));
    click(find(sub(find(t, 'Build')), 'Build'));
    click(find(sub(find(t, 'Run')), 'Step'));
    click(find(sub(find(t, 'View')), 'Memory Map'));
    click(find(sub(find(t, 'Help')), 'About Futura Studio'));
    expect(calls).toEqual(['open', 'file.save', 'build.build', 'run.step', 'view.memory', 'about']);
  });

  it('shows shortcuts without registering them (the renderer owns the keys)', () => {
    const build = find(sub(find(t, 'Build')), 'Build');
    expect(build.accelerator).toBe('CmdOrCtrl+Shift+B');
    expect(build.registerAccelerator).toBe(false);
    expect(find(sub(find(t, 'Run')), 'Boot').accelerator).toBe('F5');
  });

  it('adds the app menu on macOS', () => {
    const mac = menuTemplate({ command: () => {}, openWorkspace: () => {}, about: () => {} }, 'darwin');
    expect(mac[0]?.role).toBe('appMenu');
  });
});
