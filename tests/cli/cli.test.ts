import { describe, expect, it } from 'vitest';
import { main } from '../../core/cli/main';

describe('futura CLI', () => {
  it('exits 0 for start without crashing', async () => {
    expect(await main(['start'])).toBe(0);
  });
  it('rejects an unknown command with a non-zero code', async () => {
    expect(await main(['no-such-command'])).not.toBe(0);
  });
});
