// Where Futura Studio keeps per-user state: the working copy of the sample userland, settings and
// per-installation keys. FUTURA_DATA_DIR overrides it (tests, portable installs).
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FUTURA_DATA_DIR) return resolve(env.FUTURA_DATA_DIR);
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Futura Studio');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Futura Studio');
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'futura-studio');
  }
}

/** The project's root folder (where package.json, sample-userland/ and renderer/ live). */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bundled sample userland, copied to the user's data folder on first start; never modified. */
export const BUNDLED_SAMPLE = join(PROJECT_ROOT, 'sample-userland');
