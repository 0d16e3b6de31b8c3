// React access to the Studio controller and its state.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AppState } from '../state/app-state';
import type { Studio } from '../state/studio';

export const StudioContext = createContext<Studio | null>(null);

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio outside a StudioContext');
  return studio;
}

/** Subscribes to one slice of the state; the selector must return a stable value for equal state. */
export function useApp<T>(select: (s: AppState) => T): T {
  const studio = useStudio();
  return useSyncExternalStore(studio.store.subscribe, () => select(studio.store.get()));
}
