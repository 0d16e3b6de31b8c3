// The debugger panel: where and why the machine stopped, the step buttons, the call stack, the
// variables of the selected frame, the registers (changed ones marked), a memory view and the
// disassembly around the pc with each instruction's source line.
import { useState, type ReactNode } from 'react';
import type { Variable } from '../../../core/protocol/debug';
import { useApp, useStudio } from '../ui/context';
import { hexRows } from './memory-rows';
import { GdbToggle } from './GdbToggle';

const XREG = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6']; // prettier-ignore

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);

function VariableRow({ v, depth }: { v: Variable; depth: number }): ReactNode {
  const [open, setOpen] = useState(depth === 0 && (v.children?.length ?? 0) <= 8);
  const kids = v.children ?? [];
  return (
    <>
      <div className="var-row" style={{ paddingLeft: `${depth * 14 + 4}px` }} data-var={v.name}>
        {kids.length > 0 ? (
          <button
            type="button"
            className="twisty"
            onClick={() => setOpen(!open)}
            aria-label={open ? 'collapse' : 'expand'}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty" />
        )}
        <span className="var-name">{v.name}</span>
        <span className="var-value mono">{v.value}</span>
        <span className="var-type muted">{v.type}</span>
      </div>
      {open && kids.map((k) => <VariableRow key={k.name} v={k} depth={depth + 1} />)}
    </>
  );
}

export function DebugPanel(): ReactNode {
  const studio = useStudio();
  const d = useApp((s) => s.debug);
  const machine = useApp((s) => s.machine.state);
  const [where, setWhere] = useState('');
  const stop = d.stop;
  const paused = machine === 'paused';
  return (
    <div className="panel-fill scroll debug-panel" data-testid="debug-panel">
      <div className="panel-actions debug-actions">
        <button
          type="button"
          disabled={!paused}
          onClick={() => studio.run('debug.continue')}
          title="Continue (F8)"
        >
          ▶ Continue
        </button>
        <button
          type="button"
          disabled={!stop}
          onClick={() => void studio.debug.step('over')}
          title="Step over (F10)"
        >
          ⤼ Over
        </button>
        <button
          type="button"
          disabled={!stop}
          onClick={() => void studio.debug.step('into')}
          title="Step into (F11)"
        >
          ↓ Into
        </button>
        <button
          type="button"
          disabled={!stop}
          onClick={() => void studio.debug.step('out')}
          title="Step out (Shift+F11)"
        >
          ↑ Out
        </button>
        <button
          type="button"
          disabled={!stop}
          onClick={() => void studio.debug.step('instruction')}
          title="Step one instruction"
        >
          ⇥ Instruction
        </button>
      </div>
      <GdbToggle />
      {!stop ? (
        <div className="empty">
          <div>Not stopped</div>
          <div className="hint">Click in the editor&apos;s gutter to set a breakpoint, then boot (F5).</div>
        </div>
      ) : (
        <>
          <div className="stop-line" data-testid="stop-reason">
            Stopped ({stop.reason}) in pid {stop.pid}
            {stop.function ? ` at ${stop.function}` : ''}
            {stop.location ? ` — ${base(stop.location.file)}:${stop.location.line}` : ` — pc ${hex(stop.pc)}`}
            {stop.detail ? ` · ${stop.detail}` : ''}
          </div>
          <section className="card">
            <header className="card-head">Call stack</header>
            {d.frames.map((f, i) => (
              <div
                key={`${i}-${f.pc}`}
                className={`frame-row${i === d.frame ? ' selected' : ''}`}
                onClick={() => void studio.debug.selectFrame(i)}
                data-frame={i}
              >
                <span className="mono">{f.function ?? hex(f.pc)}</span>
                <span className="muted">
                  {f.location ? `${base(f.location.file)}:${f.location.line}` : hex(f.pc)}
                </span>
              </div>
            ))}
          </section>
          <section className="card" data-testid="variables">
            <header className="card-head">Variables</header>
            {d.locals.length === 0 ? (
              <div className="muted small">no debug information for this frame</div>
            ) : (
              d.locals.map((v) => <VariableRow key={v.name} v={v} depth={0} />)
            )}
          </section>
          {d.registers && (
            <section className="card">
              <header className="card-head">Registers</header>
              <div className="reg-grid mono" data-testid="registers">
                <span className="reg-name">pc</span>
                <span className="reg-val">{hex(d.registers.pc)}</span>
                {d.registers.x.map((v, i) => {
                  const changed = d.previous !== null && d.previous.x[i] !== v;
                  return (
                    <span key={i} className="reg-pair">
                      <span className="reg-name">{XREG[i]}</span>
                      <span className={`reg-val${changed ? ' changed' : ''}`}>{hex(v)}</span>
                    </span>
                  );
                })}
                {d.registers.f.map((f, i) => {
                  const changed = d.previous !== null && d.previous.f[i]?.raw !== f.raw;
                  return (
                    <span key={`f${i}`} className="reg-pair">
                      <span className="reg-name">f{i}</span>
                      <span className={`reg-val${changed ? ' changed' : ''}`} title={`0x${f.raw}`}>
                        {Number.isFinite(f.value) ? f.value.toPrecision(6) : String(f.value)}
                      </span>
                    </span>
                  );
                })}
              </div>
            </section>
          )}
          <section className="card">
            <header className="card-head">Memory</header>
            <form
              className="mem-go"
              onSubmit={(e) => {
                e.preventDefault();
                void studio.debug.goToMemory(where);
              }}
            >
              <input
                value={where}
                onChange={(e) => setWhere(e.target.value)}
                placeholder="address, symbol or pointer expression"
                aria-label="Memory address"
              />
              <button type="submit">Go</button>
            </form>
            {d.memoryError && <div className="warn small">{d.memoryError}</div>}
            {d.memory && (
              <pre className="mem-view mono" data-testid="memory">
                {hexRows(d.memory.address, d.memory.hex).join('\n')}
              </pre>
            )}
          </section>
          <section className="card">
            <header className="card-head">Disassembly</header>
            <div className="disasm mono" data-testid="disassembly">
              {d.disassembly.map((l) => (
                <div
                  key={l.address}
                  className={`dis-row${l.address === (d.frames[d.frame]?.pc ?? stop.pc) ? ' current' : ''}`}
                >
                  <span className="muted">{(l.address >>> 0).toString(16)}</span>
                  <span>{l.text}</span>
                  <span className="muted">
                    {l.location ? `${base(l.location.file)}:${l.location.line}` : ''}
                  </span>
                </div>
              ))}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
