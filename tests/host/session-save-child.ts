// Child process for the session's atomic-save test: saves alternating whole contents through the
// protocol (file.save requests into Session.handle) until it is killed.
import { Session } from '../../core/host/session/session';

const [root, dataDir, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);
const contents = ['a'.repeat(size), 'b'.repeat(size)];
const session = new Session({ dataDir: dataDir! });
const opened = await session.handle({ id: 0, method: 'workspace.open', params: { path: root } });
if (!opened.ok) throw new Error(JSON.stringify(opened));
process.stdout.write('ready\n');
for (let i = 1; ; i++) {
  const r = await session.handle({
    id: i,
    method: 'file.save',
    params: { path: 'big.c', content: contents[i & 1]! },
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
}
