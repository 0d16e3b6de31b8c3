// The userland build graph: manifest → compile units → library archives → linked programs →
// boot image, incremental through a content-addressed cache. An object's key covers its source
// text, the text of every header it included, its flags and the toolchain's id; an archive's key
// its members' objects; a program's key its link inputs. So a one-file edit recompiles one object
// and relinks only the programs whose inputs changed, and an unchanged tree compiles nothing.
// Never throws on bad input: a missing file, a bad manifest or a compiler error is a diagnostic.
import { writeArchive } from '../ar/archive';
import { link } from '../link/linker';
import { utf8Decode } from '../../util/utf8';
import type { Diagnostic } from '../diag';
import { writeImage } from './image';
import { MANIFEST_NAME, parseManifest, type Manifest, type ToolchainName } from './manifest';
import { planBuild, type Plan } from './plan';
import { decodeDeps, decodeObject, encodeDeps, encodeObject, seal, unseal } from './records';
import { Sha256, sha256Hex } from './sha256';
import type {
  BuildEvent,
  BuildResult,
  BuildStats,
  BuiltProgram,
  CacheStore,
  CompileRequest,
  FileSource,
  Toolchain,
  UnitRef,
} from './types';

export interface BuildOptions {
  files: FileSource;
  cache: CacheStore;
  /** The toolchain for a name, or why it is unavailable (e.g. "no RISC-V GCC on PATH"). */
  toolchains: (name: ToolchainName) => Toolchain | string;
  /** Overrides the manifest's `toolchain` (the CLI's --toolchain, the IDE's workspace setting). */
  toolchain?: ToolchainName;
  /** Workspace-relative manifest path (default futura.json). */
  manifestPath?: string;
  /** Identifies our archiver and linker (part of archive and program keys; default 'futura-ld'). */
  linkerId?: string;
  /** Appended to every unit's flags (e.g. -O2 from the command line). */
  extraCflags?: readonly string[];
  onEvent?: (e: BuildEvent) => void;
}

interface Built {
  object: Uint8Array;
  /** sha256 of the object bytes: what archive and link keys are made of. */
  hash: string;
}

const emptyStats = (): BuildStats => ({
  compiled: 0,
  reused: 0,
  archived: 0,
  linked: 0,
  errors: 0,
  warnings: 0,
  ms: 0,
});

/** Hashes of runtime archives by identity: toolchains hand back the same bytes every build. */
const runtimeHashes = new WeakMap<Uint8Array, string>();

function runtimeHash(data: Uint8Array): string {
  let h = runtimeHashes.get(data);
  if (h === undefined) {
    h = sha256Hex(data);
    runtimeHashes.set(data, h);
  }
  return h;
}

/** A member or object name for archives and link maps: `init/main.c` → `main.o`. */
function objectName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return `${base.replace(/\.[^.]*$/, '')}.o`;
}

class Run {
  readonly stats = emptyStats();
  readonly diagnostics: Diagnostic[] = [];
  private readonly fileHashes = new Map<string, string>();
  private index = 0;
  private total = 0;
  private readonly started = Date.now();

  constructor(
    readonly o: BuildOptions,
    readonly tc: Toolchain,
  ) {}

  emit(e: BuildEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // A listener's failure is not the build's.
    }
  }

  begin(total: number): void {
    this.total = total;
    this.emit({ type: 'start', units: total });
  }

  unitStart(unit: UnitRef): number {
    const index = ++this.index;
    this.emit({ type: 'unit-start', unit, index, units: this.total });
    return index;
  }

  unitFinish(unit: UnitRef, index: number, ok: boolean, cached: boolean): void {
    this.emit({ type: 'unit-finish', unit, ok, cached, index, units: this.total });
  }

  report(list: readonly Diagnostic[]): void {
    for (const d of list) {
      this.diagnostics.push(d);
      if (d.severity === 'error') this.stats.errors++;
      else if (d.severity === 'warning') this.stats.warnings++;
    }
  }

  /** Content hash of a workspace file, once per build; files outside it hash by name. */
  fileHash(path: string): string {
    let h = this.fileHashes.get(path);
    if (h === undefined) {
      const b = this.o.files.read(path);
      h = b === undefined ? `absent:${path}` : sha256Hex(b);
      this.fileHashes.set(path, h);
    }
    return h;
  }

  unitKey(req: CompileRequest, kind: string): Sha256 {
    return new Sha256()
      .field(kind)
      .field(this.tc.id)
      .field(req.path)
      .field(JSON.stringify(req.cflags))
      .field(JSON.stringify(req.includeDirs));
  }

  objectKey(req: CompileRequest, includes: readonly string[]): string {
    const h = this.unitKey(req, 'obj');
    for (const f of includes) h.field(f).field(this.fileHash(f));
    return h.hex();
  }

  /** Compiles (or reuses) one unit; its diagnostics come back for reporting in unit order. */
  async compile(req: CompileRequest): Promise<{ built: Built | null; diagnostics: Diagnostic[] }> {
    const unit: UnitRef = { kind: 'compile', name: req.path };
    const index = this.unitStart(unit);
    const depsKey = this.unitKey(req, 'deps').field(this.fileHash(req.path)).hex();
    const deps = decodeDeps(this.o.cache.get(depsKey));
    if (deps) {
      const hit = decodeObject(this.o.cache.get(this.objectKey(req, deps.includes)));
      if (hit) {
        this.stats.reused++;
        this.unitFinish(unit, index, true, true);
        return { built: { object: hit.object, hash: hit.hash }, diagnostics: hit.diagnostics };
      }
    }
    let out;
    try {
      out = await this.tc.compile(req, this.o.files);
    } catch (e) {
      const message = `internal error in ${this.tc.id}: ${e instanceof Error ? e.message : String(e)}`;
      out = {
        ok: false,
        object: null,
        includes: [],
        diagnostics: [{ file: req.path, line: 1, col: 1, severity: 'error' as const, message }],
      };
    }
    this.stats.compiled++;
    const ok = out.ok && out.object !== null;
    let built: Built | null = null;
    if (ok && out.object) {
      built = { object: out.object, hash: sha256Hex(out.object) };
      const includes = out.includes.includes(req.path) ? out.includes : [req.path, ...out.includes];
      this.o.cache.put(depsKey, encodeDeps({ includes }));
      const rec = encodeObject({ object: out.object, diagnostics: out.diagnostics, hash: built.hash });
      this.o.cache.put(this.objectKey(req, includes), rec);
    }
    this.unitFinish(unit, index, ok, false);
    return { built, diagnostics: out.diagnostics };
  }

  /** Looks `key` up, else makes the bytes and stores them; counts a make in `counter`. */
  produce(
    unit: UnitRef,
    key: string,
    make: () => Uint8Array | null,
    counter: 'archived' | 'linked',
  ): { data: Uint8Array; hash: string } | null {
    const index = this.unitStart(unit);
    const cached = unseal(this.o.cache.get(key));
    if (cached) {
      this.unitFinish(unit, index, true, true);
      return cached;
    }
    const data = make();
    let made = null;
    if (data) {
      made = { data, hash: sha256Hex(data) };
      this.o.cache.put(key, seal(data, made.hash));
      this.stats[counter]++;
    }
    this.unitFinish(unit, index, made !== null, false);
    return made;
  }

  finish(ok: boolean): BuildStats {
    this.stats.ms = Date.now() - this.started;
    this.emit({ type: 'finish', ok, stats: this.stats });
    return this.stats;
  }
}

/** Runs `work` over `items` with at most `n` at a time, keeping results in order. */
async function pool<T, R>(items: readonly T[], n: number, work: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

function failed(diagnostics: Diagnostic[], stats = emptyStats()): BuildResult {
  stats.errors += diagnostics.filter((d) => d.severity === 'error').length;
  return { ok: false, diagnostics, programs: [], image: null, stats };
}

/** Builds the userland described by the workspace's manifest. */
export async function buildUserland(o: BuildOptions): Promise<BuildResult> {
  const manifestPath = o.manifestPath ?? MANIFEST_NAME;
  let run: Run | null = null;
  try {
    const bytes = o.files.read(manifestPath);
    if (bytes === undefined) {
      const message = `cannot read ${manifestPath}: no userland manifest in this folder`;
      return failed([{ file: manifestPath, line: 1, col: 1, severity: 'error', message }]);
    }
    const parse = parseManifest(utf8Decode(bytes), manifestPath);
    const m = parse.manifest;
    if (!m) return failed(parse.diagnostics);
    const name = o.toolchain ?? m.toolchain ?? 'futcc';
    const tc = o.toolchains(name);
    if (typeof tc === 'string') {
      const at =
        m.toolchain !== null && o.toolchain === undefined ? parse.at('toolchain') : { line: 1, col: 1 };
      return failed([
        { file: manifestPath, ...at, severity: 'error', message: `toolchain '${name}': ${tc}` },
      ]);
    }
    run = new Run(o, tc);
    return await execute(run, m, parse, manifestPath);
  } catch (e) {
    // A bug of ours (or a file source or toolchain breaking its contract) must still end as a
    // diagnostic, not a crashed session.
    const d: Diagnostic = {
      file: manifestPath,
      line: 1,
      col: 1,
      severity: 'error',
      message: `internal build error: ${e instanceof Error ? e.message : String(e)}`,
    };
    if (!run) return failed([d]);
    run.report([d]);
    return { ok: false, diagnostics: run.diagnostics, programs: [], image: null, stats: run.finish(false) };
  }
}

async function execute(
  run: Run,
  m: Manifest,
  parse: ReturnType<typeof parseManifest>,
  manifestPath: string,
): Promise<BuildResult> {
  const o = run.o;
  const plan: Plan = planBuild(m, parse, o.files, manifestPath, o.extraCflags ?? []);
  run.report(plan.diagnostics);
  run.begin(plan.units.size + plan.libraries.length + plan.programs.length);

  const ids = [...plan.units.keys()];
  const results = await pool(ids, run.tc.parallel, (id) => run.compile(plan.units.get(id)!));
  // Reported in unit order whatever order parallel compilations finished in.
  for (const r of results) run.report(r.diagnostics);
  const objects = new Map<string, Built | null>(ids.map((id, i) => [id, results[i]!.built]));
  const pathOf = (id: string): string => plan.units.get(id)!.path;

  // Archives: one per library, named lib<name>.a; members named after their sources.
  const archives = new Map<string, { data: Uint8Array; hash: string } | null>();
  for (const lib of plan.libraries) {
    const members = lib.members.map((id) => objects.get(id) ?? null);
    if (members.some((b) => b === null)) {
      archives.set(lib.name, null);
      continue;
    }
    const names = uniqueNames(lib.members.map(pathOf));
    const key = new Sha256().field('ar').field(o.linkerId ?? 'futura-ld');
    members.forEach((b, i) => key.field(names[i]!).field(b!.hash));
    const archive = run.produce(
      { kind: 'archive', name: lib.name },
      key.hex(),
      () => writeArchive(members.map((b, i) => ({ name: names[i]!, data: b!.object }))),
      'archived',
    );
    archives.set(lib.name, archive);
  }

  const runtime = await run.tc.runtime();
  const programs: BuiltProgram[] = [];
  for (const p of plan.programs) {
    const libs = p.libs.map((n) => plan.libraries.find((l) => l.name === n)!);
    const startups = [...new Set(libs.map((l) => l.startup).filter((s): s is string => s !== null))];
    const objIds = [...startups, ...p.objects];
    const objs = objIds.map((id) => objects.get(id) ?? null);
    const archs = p.libs.map((n) => archives.get(n) ?? null);
    if (objs.some((b) => b === null) || archs.some((a) => a === null)) continue;
    const inputs = [
      ...objIds.map((id, i) => ({ name: pathOf(id), data: objs[i]!.object, hash: objs[i]!.hash })),
      ...p.libs.map((n, i) => ({ name: `lib${n}.a`, data: archs[i]!.data, hash: archs[i]!.hash })),
      ...(runtime ? [{ name: runtime.name, data: runtime.data, hash: runtimeHash(runtime.data) }] : []),
    ];
    const key = new Sha256()
      .field('link')
      .field(o.linkerId ?? 'futura-ld')
      .field(run.tc.id);
    for (const i of inputs) key.field(i.name).field(i.hash);
    const elf = run.produce(
      { kind: 'link', name: p.name },
      key.hex(),
      () => {
        const r = link(inputs.map((i) => ({ name: i.name, data: i.data })));
        run.report(r.diagnostics.map((d) => linkDiagnostic(d, p.name, manifestPath)));
        return r.elf;
      },
      'linked',
    );
    if (elf) programs.push({ name: p.name, install: p.install, elf: elf.data });
  }

  const ok = run.stats.errors === 0 && programs.length === plan.programs.length;
  let image = null;
  if (ok) {
    const img = writeImage(m, parse, o.files, manifestPath, programs);
    run.report(img.diagnostics);
    if (img.diagnostics.length === 0) image = img.image;
  }
  const done = ok && image !== null;
  return { ok: done, diagnostics: run.diagnostics, programs, image, stats: run.finish(done) };
}

/** Archive member names from source paths, made unique (`a/x.c`, `b/x.c` → x.o, x-2.o). */
function uniqueNames(paths: readonly string[]): string[] {
  const used = new Set<string>();
  return paths.map((p) => {
    let n = objectName(p);
    for (let k = 2; used.has(n); k++) n = objectName(p).replace(/\.o$/, `-${k}.o`);
    used.add(n);
    return n;
  });
}

/** Link errors name inputs, not lines: place them on the input (a source or archive) at 1:1. */
function linkDiagnostic(d: Diagnostic, program: string, manifestPath: string): Diagnostic {
  const file = /\.(c|S|s)$/.test(d.file) ? d.file : manifestPath;
  const where = file === d.file ? '' : ` (${d.file})`;
  return {
    ...d,
    file,
    line: Math.max(1, d.line),
    col: Math.max(1, d.col),
    message: `${d.message}${where} [linking '${program}']`,
  };
}
