// Helpers for the session tests: guest programs assembled by futcc's assembler and linker (no
// external toolchain), a test-double Builder that assembles a workspace's `init.s` into a boot
// image, and a protocol client over the direct-call transport that records events.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleToElf } from '../../core/toolchain/asm/assembler';
import { link } from '../../core/toolchain/link/linker';
import type { Diagnostic, Method, ParamsOf, Response, SessionEvent } from '../../core/protocol/messages';
import type { Builder, BuildProgress, BuildResult } from '../../core/host/session/builder';
import { Session } from '../../core/host/session/session';
import type { LinkFactory } from '../../core/host/worker/runner';

/** Assembles and links one user program (entry `_start`, at 0x0040_0000). */
export function assembleProgram(
  source: string,
  file = 'init.s',
): { elf: Uint8Array | null; diagnostics: Diagnostic[] } {
  const obj = assembleToElf(source, { file });
  if (!obj.elf) return { elf: null, diagnostics: obj.diagnostics };
  const r = link([{ name: file.replace(/\.s$/, '.o'), data: obj.elf }], { entry: '_start' });
  return { elf: r.elf, diagnostics: [...obj.diagnostics, ...r.diagnostics] };
}

export function mustAssemble(source: string): Uint8Array {
  const r = assembleProgram(source);
  if (!r.elf) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join('\n'));
  return r.elf;
}

/** Prints a prompt, then echoes each line back as `got: LINE` until it reads `q`, then exits 7. */
export const ECHO_ASM = `
  .text
  .globl _start
_start:
loop:
  li a0, 1
  la a1, prompt
  li a2, 2
  li a7, 64
  ecall
  li a0, 0
  la a1, buf
  li a2, 200
  li a7, 63
  ecall
  mv s1, a0
  blez s1, done
  lb t0, buf
  li t1, 113
  beq t0, t1, done
  li a0, 1
  la a1, got
  li a2, 5
  li a7, 64
  ecall
  li a0, 1
  la a1, buf
  mv a2, s1
  li a7, 64
  ecall
  j loop
done:
  li a0, 7
  li a7, 93
  ecall
  .data
prompt: .ascii "> "
got: .ascii "got: "
  .bss
buf: .space 256
`;

/** Spins forever, counting in s0 (the machine never idles). */
export const SPIN_ASM = `
  .text
  .globl _start
_start:
  li s0, 0
1:
  addi s0, s0, 1
  j 1b
`;

/** Writes 2,000 lines "NNNN é……\n" (a counter and UTF-8 text, 64 bytes each), then exits 0. */
export const FLOOD_ASM = `
  .text
  .globl _start
_start:
  li s0, 0
  li s1, 2000
loop:
  la a1, line
  mv t0, s0
  li t2, 10
  addi t3, a1, 3
digits:
  rem t1, t0, t2
  addi t1, t1, 48
  sb t1, 0(t3)
  div t0, t0, t2
  addi t3, t3, -1
  bge t3, a1, digits
  li a0, 1
  li a2, 64
  li a7, 64
  ecall
  addi s0, s0, 1
  blt s0, s1, loop
  li a0, 0
  li a7, 93
  ecall
  .data
line: .ascii "0000 \\303\\251"
  .ascii "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\n"
`;

/** `_start` opening `path` (/dev/fb0) and mapping its first page MAP_SHARED: the page is in a0. */
const MAP_FB0 = `
  .text
  .globl _start
_start:
  li a0, -100
  la a1, path
  li a2, 2
  li a3, 0
  li a7, 56
  ecall
  mv a4, a0
  li a0, 0
  li a1, 4096
  li a2, 3
  li a3, 1
  li a5, 0
  li a7, 222
  ecall
`;

/** Maps /dev/fb0 and stores a changing pixel forever: every slice damages the framebuffer. */
export const FB_SPIN_ASM = `${MAP_FB0}  li t0, 0
1:
  addi t0, t0, 1
  sw t0, 0(a0)
  j 1b
  .data
path: .asciz "/dev/fb0"
`;

/** Loads from address 0: the kernel kills it with SIGSEGV. */
export const FAULT_ASM = `
  .text
  .globl _start
_start:
  lw t0, 0(zero)
  j _start
`;

/** Sleeps 300 ms of guest time (nanosleep), prints "woke", exits 0. */
export const SLEEP_ASM = `
  .text
  .globl _start
_start:
  la a0, ts
  li a1, 0
  li a7, 101
  ecall
  li a0, 1
  la a1, msg
  li a2, 5
  li a7, 64
  ecall
  li a0, 0
  li a7, 93
  ecall
  .data
ts: .word 0, 300000000
msg: .ascii "woke\\n"
`;

/** Draws one pixel into /dev/fb0 (mmap MAP_SHARED), then blocks reading the console. */
export const FB_ASM = `${MAP_FB0}  li t0, 0x00ff8040
  sw t0, 0(a0)
  li a0, 0
  la a1, buf
  li a2, 16
  li a7, 63
  ecall
  li a0, 0
  li a7, 93
  ecall
  .data
path: .asciz "/dev/fb0"
  .bss
buf: .space 16
`;

/** A workspace folder holding `init.s`. */
export function asmWorkspace(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'futura-session-'));
  writeFileSync(join(dir, 'init.s'), source);
  return dir;
}

/**
 * A Session on a temporary data folder building with AsmBuilder, its workspace (holding `source`)
 * open; the session is pushed on `track` for the test's disposal. `link`: how the machine runs.
 */
export async function openAsmSession(
  source: string,
  track: Session[],
  link?: LinkFactory,
): Promise<{ s: Session; c: DirectClient; dir: string }> {
  const s = new Session({
    dataDir: mkdtempSync(join(tmpdir(), 'futura-data-')),
    builder: new AsmBuilder(),
    ...(link ? { machineLink: link } : {}),
  });
  track.push(s);
  const c = new DirectClient(s);
  const dir = asmWorkspace(source);
  await c.call('workspace.open', { path: dir });
  return { s, c, dir };
}

/** Test-double Builder: assembles the workspace's init.s into /sbin/init (futcc's assembler + linker). */
export class AsmBuilder implements Builder {
  builds = 0;
  build(dir: string, onProgress: (p: BuildProgress) => void): Promise<BuildResult> {
    this.builds++;
    onProgress({ done: 0, total: 1, file: 'init.s' });
    const r = assembleProgram(readFileSync(join(dir, 'init.s'), 'utf8'));
    onProgress({ done: 1, total: 1 });
    const diagnostics = r.diagnostics.map(({ file, line, col, severity, message }) => ({
      file,
      line,
      col,
      severity,
      message,
    }));
    if (!r.elf) return Promise.resolve({ ok: false, diagnostics, image: null });
    return Promise.resolve({
      ok: true,
      diagnostics,
      image: { dirs: ['/sbin'], files: [{ path: '/sbin/init', data: r.elf, mode: 0o755 }] },
    });
  }
}

/** A protocol client over the direct-call transport: raw messages in, replies out, events recorded. */
export class DirectClient {
  readonly events: SessionEvent[] = [];
  private nextId = 1;
  private readonly waiters: Array<{ pred: (e: SessionEvent) => boolean; resolve(e: SessionEvent): void }> =
    [];
  readonly off: () => void;

  constructor(readonly session: Session) {
    this.off = session.on((e) => {
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (w.pred(e)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    });
  }

  raw(msg: unknown): Promise<Response> {
    return this.session.handle(msg);
  }

  /** Sends a request; resolves to its result, rejects with `code: message` on an error reply. */
  async call<M extends Method>(method: M, params: ParamsOf<M>): Promise<unknown> {
    const r = await this.session.handle({ id: this.nextId++, method, params });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result;
  }

  /** The next event (from now on, or already recorded since `from`) matching `pred`. */
  waitFor<T extends SessionEvent>(
    pred: (e: SessionEvent) => e is T,
    timeoutMs?: number,
    from?: number,
  ): Promise<T>;
  waitFor(pred: (e: SessionEvent) => boolean, timeoutMs?: number, from?: number): Promise<SessionEvent>;
  waitFor(pred: (e: SessionEvent) => boolean, timeoutMs = 20_000, from?: number): Promise<SessionEvent> {
    if (from !== undefined) {
      const hit = this.events.slice(from).find(pred);
      if (hit) return Promise.resolve(hit);
    }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
  }

  /** Everything the console printed so far. */
  consoleText(from = 0): string {
    return this.events
      .slice(from)
      .map((e) => (e.event === 'console.output' ? e.data : ''))
      .join('');
  }

  /** Waits until the console output (since `from`) contains `text`. */
  async waitConsole(text: string, from = 0, timeoutMs = 20_000): Promise<void> {
    if (this.consoleText(from).includes(text)) return;
    await this.waitFor(() => this.consoleText(from).includes(text), timeoutMs);
  }
}
