// IPC channel names shared by the main process and the preload.
export const IPC = {
  request: 'futura:request',
  event: 'futura:event',
  menu: 'futura:menu',
} as const;

/** The origin the renderer is served from (custom protocol, never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
