// Monaco's worker and theme setup, done once. The editor worker is bundled as a separate file
// (scripts/build-renderer.mjs), loaded from the page's own origin: the CSP forbids remote code.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/cpp/register';

let ready = false;

export function setupMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  self.MonacoEnvironment = {
    getWorker: () => new Worker(new URL('./editor.worker.js', document.baseURI)),
  };
  monaco.editor.defineTheme('futura-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#1a1c22',
      'editorGutter.background': '#1a1c22',
      'editor.lineHighlightBackground': '#23262e',
    },
  });
  return monaco;
}

export type Monaco = typeof monaco;
