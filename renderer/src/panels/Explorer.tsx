// The workspace tree: open files, create files and folders, rename and delete (inline prompts,
// since Electron has no window.prompt).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { isDirty } from '../state/app-state';
import { buildTree, checkName, folderOf, joinPath, type TreeNode } from '../state/tree';
import { useApp, useStudio } from '../ui/context';

type Pending =
  | { op: 'new'; kind: 'file' | 'dir'; dir: string }
  | { op: 'rename'; path: string }
  | { op: 'delete'; path: string }
  | null;

function NameInput(props: { initial: string; onDone(name: string | null): void }): ReactNode {
  const [value, setValue] = useState(props.initial);
  const error = checkName(value);
  return (
    <div className="explorer-input">
      <input
        autoFocus
        value={value}
        aria-label="Name"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !error) props.onDone(value.trim());
          if (e.key === 'Escape') props.onDone(null);
        }}
        onBlur={() => props.onDone(null)}
      />
      {error && value !== '' && <div className="input-error">{error}</div>}
    </div>
  );
}

export function Explorer(): ReactNode {
  const studio = useStudio();
  const files = useApp((s) => s.files);
  const active = useApp((s) => s.active);
  const docs = useApp((s) => s.docs);
  const tree = useMemo(() => buildTree(files), [files]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<{ path: string; kind: 'file' | 'dir' } | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const toggle = (path: string): void =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (n.has(path)) n.delete(path);
      else n.add(path);
      return n;
    });

  const startNew = (kind: 'file' | 'dir'): void =>
    setPending({ op: 'new', kind, dir: folderOf(selected?.path ?? null, selected?.kind ?? null) });

  // File ▸ New File (menu) asks the explorer for a name, like its own "+ File" button.
  useEffect(
    () =>
      studio.onViewCommand((cmd) => {
        if (cmd === 'file.new') setPending({ op: 'new', kind: 'file', dir: '' });
      }),
    [studio],
  );

  const finish = (name: string | null): void => {
    const p = pending;
    setPending(null);
    if (!p || name === null) return;
    if (p.op === 'new') void studio.create(joinPath(p.dir, name), p.kind);
    if (p.op === 'rename') {
      const cut = p.path.lastIndexOf('/');
      const to = joinPath(cut < 0 ? '' : p.path.slice(0, cut), name);
      if (to !== p.path) void studio.rename(p.path, to).then((ok) => ok && setSelected(null));
    }
  };

  const renderNode = (n: TreeNode, depth: number): ReactNode => {
    const isOpen = !collapsed.has(n.path);
    const isSel = selected?.path === n.path;
    const renaming = pending?.op === 'rename' && pending.path === n.path;
    return (
      <li
        key={n.path}
        role="treeitem"
        aria-expanded={n.kind === 'dir' ? isOpen : undefined}
        aria-selected={isSel}
      >
        {renaming ? (
          <div style={{ paddingLeft: 8 + depth * 14 }}>
            <NameInput initial={n.name} onDone={finish} />
          </div>
        ) : (
          <div
            className={`tree-row${isSel ? ' selected' : ''}${active === n.path ? ' active' : ''}`}
            style={{ paddingLeft: 8 + depth * 14 }}
            data-path={n.path}
            title={n.path}
            onClick={() => {
              setSelected({ path: n.path, kind: n.kind });
              if (n.kind === 'dir') toggle(n.path);
              else void studio.openFile(n.path);
            }}
            onKeyDown={(e) => {
              if (e.key === 'F2') setPending({ op: 'rename', path: n.path });
              if (e.key === 'Delete') setPending({ op: 'delete', path: n.path });
            }}
            tabIndex={0}
          >
            <span className="tree-twisty" aria-hidden="true">
              {n.kind === 'dir' ? (isOpen ? '▾' : '▸') : ''}
            </span>
            <span className={`tree-icon ${n.kind === 'dir' ? 'icon-dir' : 'icon-file'}`} aria-hidden="true">
              {n.kind === 'dir' ? '■' : n.name.endsWith('.c') || n.name.endsWith('.h') ? 'C' : '·'}
            </span>
            <span className="tree-name">{n.name}</span>
            {isDirty(docs[n.path]) && <span className="dirty-dot" title="unsaved changes" />}
          </div>
        )}
        {n.kind === 'dir' && isOpen && (
          <ul role="group">
            {pending?.op === 'new' && pending.dir === n.path && (
              <li style={{ paddingLeft: 8 + (depth + 1) * 14 }}>
                <NameInput initial="" onDone={finish} />
              </li>
            )}
            {n.children.map((c) => renderNode(c, depth + 1))}
          </ul>
        )}
      </li>
    );
  };

  return (
    <div className="explorer panel-fill">
      <div className="panel-actions">
        <button type="button" className="icon-btn" title="New File" onClick={() => startNew('file')}>
          + File
        </button>
        <button type="button" className="icon-btn" title="New Folder" onClick={() => startNew('dir')}>
          + Folder
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Rename (F2)"
          disabled={!selected}
          onClick={() => selected && setPending({ op: 'rename', path: selected.path })}
        >
          Rename
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Delete (Del)"
          disabled={!selected}
          onClick={() => selected && setPending({ op: 'delete', path: selected.path })}
        >
          Delete
        </button>
        <button type="button" className="icon-btn" title="Refresh" onClick={() => void studio.refreshFiles()}>
          ⟳
        </button>
      </div>
      {pending?.op === 'delete' && (
        <div className="confirm" role="alertdialog" aria-label="Confirm delete">
          Delete <b>{pending.path}</b>?
          <button
            type="button"
            className="danger"
            onClick={() => {
              const p = pending.path;
              setPending(null);
              setSelected(null);
              void studio.remove(p);
            }}
          >
            Delete
          </button>
          <button type="button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      )}
      <ul className="tree" role="tree" aria-label="Workspace files">
        {pending?.op === 'new' && pending.dir === '' && (
          <li style={{ paddingLeft: 8 }}>
            <NameInput initial="" onDone={finish} />
          </li>
        )}
        {tree.map((n) => renderNode(n, 0))}
      </ul>
      {tree.length === 0 && <div className="empty">The workspace is empty.</div>}
    </div>
  );
}
