// The empty state shared by the live panels.
import type { ReactNode } from 'react';

export function Empty({ what }: { what: string }): ReactNode {
  return (
    <div className="empty live-empty">
      <div className="empty-title">Nothing to show yet</div>
      <div>Boot the machine (F5) to see {what}.</div>
    </div>
  );
}
