// The preload (sandboxed): exposes the narrow window.futura API and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createFuturaApi } from './preload-api';

contextBridge.exposeInMainWorld('futura', createFuturaApi(ipcRenderer));
