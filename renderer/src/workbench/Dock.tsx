// The dockable layout (dockview, framework-free core): each panel's content is a React root
// mounted into the element dockview gives it, sharing the Studio context.
import { useEffect, useRef, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { DockviewComponent, themeDark, type DockviewApi, type IContentRenderer } from 'dockview';
import type { Studio } from '../state/studio';
import { StudioContext, useStudio } from '../ui/context';
import { PANELS, panelForCommand, type PanelDef, type PanelId } from './panel-registry';
import { panelContent } from './panel-content';

class ReactPanel implements IContentRenderer {
  readonly element = document.createElement('div');
  private root: Root | null = null;

  constructor(
    private readonly studio: Studio,
    private readonly content: ReactNode,
  ) {
    this.element.className = 'panel-host';
  }

  init(): void {
    this.root = createRoot(this.element);
    this.root.render(<StudioContext.Provider value={this.studio}>{this.content}</StudioContext.Provider>);
  }

  dispose(): void {
    // Unmounting synchronously inside another render warns; defer it a tick.
    const root = this.root;
    this.root = null;
    setTimeout(() => root?.unmount(), 0);
  }
}

function addPanel(api: DockviewApi, def: PanelDef, inactive = false): void {
  const base = {
    inactive,
    id: def.id,
    title: def.title,
    component: def.id,
    // Console and editor keep their DOM while hidden (terminal buffer, editor view state).
    renderer:
      def.id === 'console' || def.id === 'editor' ? ('always' as const) : ('onlyWhenVisible' as const),
  };
  const ref = def.near ? api.getPanel(def.near) : undefined;
  if (ref) api.addPanel({ ...base, position: { referencePanel: ref, direction: def.direction } });
  else api.addPanel(base);
}

function defaultLayout(api: DockviewApi): void {
  for (const def of PANELS) addPanel(api, def);
  const size = (id: PanelId, s: { width?: number; height?: number }): void => {
    api.getPanel(id)?.group.api.setSize(s);
  };
  size('explorer', { width: 260 });
  size('processes', { width: 420 });
  size('console', { height: 240 });
  size('charts', { height: 260 });
  // The first tab of each group is the one to show; the editor gets the focus last.
  for (const id of ['console', 'processes', 'charts', 'explorer', 'editor'] as const)
    api.getPanel(id)?.api.setActive();
}

// The user's arrangement of panels survives reloads (per browser profile / Electron user data).
const LAYOUT_KEY = 'futura.layout.v1';

function saveLayout(dock: DockviewComponent): void {
  try {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify(dock.toJSON()));
  } catch {
    // Storage full or disabled: the default layout will do next time.
  }
}

function restoreLayout(dock: DockviewComponent): boolean {
  try {
    const saved = localStorage.getItem(LAYOUT_KEY);
    if (!saved) return false;
    dock.fromJSON(JSON.parse(saved));
    if (!dock.api.getPanel('editor')) throw new Error('layout without an editor');
    // Panels closed last time (or new in this build) come back in their default places: the
    // browser mode has no View menu to reopen them.
    for (const def of PANELS) if (!dock.api.getPanel(def.id)) addPanel(dock.api, def, true);
    return true;
  } catch {
    // Unreadable layout: fall through to the default.
  }
  localStorage.removeItem(LAYOUT_KEY);
  dock.clear();
  return false;
}

export function Dock(): ReactNode {
  const studio = useStudio();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const dock = new DockviewComponent(el, {
      theme: themeDark,
      disableFloatingGroups: false,
      createComponent: (options) => new ReactPanel(studio, panelContent(options.name as PanelId)),
    });
    const api = dock.api;
    if (!restoreLayout(dock)) defaultLayout(api);
    const saving = dock.onDidLayoutChange(() => saveLayout(dock));
    const ro = new ResizeObserver(() => dock.layout(el.clientWidth, el.clientHeight));
    ro.observe(el);
    const off = studio.onViewCommand((cmd) => {
      const id = panelForCommand(cmd);
      const def = PANELS.find((p) => p.id === id);
      if (!def) return;
      const existing = api.getPanel(def.id);
      if (existing) existing.api.setActive();
      else addPanel(api, def);
    });
    return () => {
      saving.dispose();
      off();
      ro.disconnect();
      dock.dispose();
    };
  }, [studio]);

  return <div className="dock" ref={host} />;
}
