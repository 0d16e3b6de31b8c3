// Which React component fills each panel.
import type { ReactNode } from 'react';
import { ConsolePanel } from '../console/ConsolePanel';
import { DebugPanel } from '../debug/DebugPanel';
import { EditorPanel } from '../editor/EditorPanel';
import { ChartsPanel } from '../live/panels/Charts';
import { ChannelsPanel } from '../live/panels/Channels';
import { DisplayPanel } from '../live/panels/Display';
import { MemoryMapPanel } from '../live/panels/MemoryMap';
import { ProcessesPanel } from '../live/panels/Processes';
import { SchedulerPanel } from '../live/panels/Scheduler';
import { TimersPanel } from '../live/panels/Timers';
import { WaitQueuesPanel } from '../live/panels/WaitQueues';
import { Explorer } from '../panels/Explorer';
import { OutputPanel } from '../panels/Output';
import { ProblemsPanel } from '../panels/Problems';
import type { PanelId } from './panel-registry';

export function panelContent(id: PanelId): ReactNode {
  switch (id) {
    case 'explorer':
      return <Explorer />;
    case 'editor':
      return <EditorPanel />;
    case 'problems':
      return <ProblemsPanel />;
    case 'output':
      return <OutputPanel />;
    case 'console':
      return <ConsolePanel />;
    case 'processes':
      return <ProcessesPanel />;
    case 'memory':
      return <MemoryMapPanel />;
    case 'waitqueues':
      return <WaitQueuesPanel />;
    case 'channels':
      return <ChannelsPanel />;
    case 'scheduler':
      return <SchedulerPanel />;
    case 'timers':
      return <TimersPanel />;
    case 'display':
      return <DisplayPanel />;
    case 'charts':
      return <ChartsPanel />;
    case 'debug':
      return <DebugPanel />;
  }
}
