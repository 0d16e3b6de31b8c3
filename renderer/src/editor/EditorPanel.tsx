// The editor: Monaco with one model per open file, our own tab strip (dirty markers, close),
// diagnostics as markers, and jumps requested by the Problems list.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import { isDirty } from '../state/app-state';
import { useApp, useStudio } from '../ui/context';
import { markersByFile } from './markers';
import { setupMonaco } from './monaco-env';

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const languageOf = (p: string): string =>
  /\.(c|h)$/.test(p) ? 'c' : /\.(s|S)$/.test(p) ? 'mips' : 'plaintext';

function Tabs(): ReactNode {
  const studio = useStudio();
  const tabs = useApp((s) => s.tabs);
  const active = useApp((s) => s.active);
  const docs = useApp((s) => s.docs);
  const close = (path: string): void => {
    if (isDirty(docs[path]) && !window.confirm(`${path} has unsaved changes. Close it anyway?`)) return;
    studio.closeTab(path);
  };
  return (
    <div className="editor-tabs" role="tablist">
      {tabs.map((t) => (
        <div
          key={t}
          role="tab"
          aria-selected={t === active}
          className={`editor-tab${t === active ? ' active' : ''}`}
          title={t}
          data-path={t}
          onClick={() => studio.activate(t)}
          onAuxClick={(e) => e.button === 1 && close(t)}
        >
          <span className="tab-name">{baseName(t)}</span>
          {isDirty(docs[t]) ? (
            <span className="dirty-dot" aria-label="unsaved" />
          ) : (
            <span className="tab-gap" />
          )}
          <button
            type="button"
            className="tab-close"
            aria-label={`Close ${t}`}
            onClick={(e) => {
              e.stopPropagation();
              close(t);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function EditorPanel(): ReactNode {
  const studio = useStudio();
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<MonacoEditor.IStandaloneCodeEditor | null>(null);
  const models = useRef(new Map<string, MonacoEditor.ITextModel>());
  const active = useApp((s) => s.active);
  const docs = useApp((s) => s.docs);
  const problems = useApp((s) => s.problems);
  const reveal = useApp((s) => s.reveal);
  const breakpoints = useApp((s) => s.debug.breakpoints);
  const stopPath = useApp((s) => s.debug.stopPath);
  const stopLine = useApp((s) => (s.debug.stop ? (s.debug.stop.location?.line ?? null) : null));
  const decorations = useRef(new Map<string, string[]>());

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const monaco = setupMonaco();
    const ed = monaco.editor.create(el, {
      theme: 'futura-dark',
      automaticLayout: true,
      fontSize: 13,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderWhitespace: 'selection',
      tabSize: 4,
      glyphMargin: true,
      model: null,
    });
    setEditor(ed);
    const sub = ed.onDidChangeModelContent(() => {
      const model = ed.getModel();
      if (!model) return;
      const path = [...models.current.entries()].find(([, m]) => m === model)?.[0];
      if (path) studio.edit(path, model.getValue());
    });
    // A click in the glyph margin (or on a line number) toggles a breakpoint on that line.
    const mouse = ed.onMouseDown((e) => {
      const t = e.target.type;
      const gutter =
        t === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN ||
        t === monaco.editor.MouseTargetType.GUTTER_LINE_NUMBERS;
      const line = e.target.position?.lineNumber;
      const model = ed.getModel();
      if (!gutter || !line || !model) return;
      const path = [...models.current.entries()].find(([, m]) => m === model)?.[0];
      if (path) void studio.debug.toggleBreakpoint(path, line);
    });
    const all = models.current;
    return () => {
      mouse.dispose();
      sub.dispose();
      ed.dispose();
      for (const m of all.values()) m.dispose();
      all.clear();
    };
  }, [studio]);

  // Models follow the open documents; contents flow from the store only when they differ
  // (a reload or rename), never on the user's own typing.
  useEffect(() => {
    const monaco = setupMonaco();
    const map = models.current;
    for (const [path, m] of map) {
      if (!docs[path]) {
        m.dispose();
        map.delete(path);
      }
    }
    for (const d of Object.values(docs)) {
      let m = map.get(d.path);
      if (!m) {
        m = monaco.editor.createModel(d.current, languageOf(d.path));
        map.set(d.path, m);
      } else if (m.getValue() !== d.current) {
        m.setValue(d.current);
      }
    }
    if (!editor) return;
    const want = active ? (map.get(active) ?? null) : null;
    if (editor.getModel() !== want) {
      editor.setModel(want);
      if (want) editor.focus();
    }
  }, [docs, active, editor]);

  useEffect(() => {
    const monaco = setupMonaco();
    const byFile = markersByFile(problems);
    for (const [path, m] of models.current) {
      // Diagnostics carry a point; underline the word there (or the rest of the line).
      const markers = (byFile.get(path) ?? []).map((mk) => {
        const line = Math.min(mk.startLineNumber, m.getLineCount());
        const word = m.getWordAtPosition({ lineNumber: line, column: mk.startColumn });
        const endColumn = word ? word.endColumn : Math.max(mk.endColumn, m.getLineMaxColumn(line));
        return { ...mk, startLineNumber: line, endLineNumber: line, endColumn };
      });
      monaco.editor.setModelMarkers(m, 'futcc', markers);
    }
  }, [problems, docs]);

  // Breakpoint dots and the stopped line, per model; they move with edits (Monaco tracks them).
  useEffect(() => {
    const monaco = setupMonaco();
    for (const [path, m] of models.current) {
      const lines = breakpoints[path] ?? [];
      const decos: MonacoEditor.IModelDeltaDecoration[] = lines
        .filter((l) => l <= m.getLineCount())
        .map((l) => ({
          range: new monaco.Range(l, 1, l, 1),
          options: {
            glyphMarginClassName: 'bp-glyph',
            glyphMarginHoverMessage: { value: 'Breakpoint (click to remove)' },
            stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
          },
        }));
      if (stopPath === path && stopLine !== null && stopLine <= m.getLineCount()) {
        decos.push({
          range: new monaco.Range(stopLine, 1, stopLine, 1),
          options: {
            isWholeLine: true,
            className: 'debug-current-line',
            glyphMarginClassName: 'debug-current-glyph',
          },
        });
      }
      decorations.current.set(path, m.deltaDecorations(decorations.current.get(path) ?? [], decos));
    }
  }, [breakpoints, stopPath, stopLine, docs]);

  useEffect(() => {
    if (!editor || !reveal || reveal.path !== active) return;
    editor.revealLineInCenter(reveal.line);
    editor.setPosition({ lineNumber: reveal.line, column: reveal.col });
    editor.focus();
  }, [reveal, active, editor]);

  return (
    <div className="editor panel-fill">
      <Tabs />
      <div className="editor-host" ref={host} data-testid="editor" />
      {!active && (
        <div className="editor-empty">
          <div>Open a file from the Explorer.</div>
          <div className="hint">Ctrl+S save · Ctrl+Shift+B build · F5 boot · F6 pause · F10 step</div>
        </div>
      )}
    </div>
  );
}
