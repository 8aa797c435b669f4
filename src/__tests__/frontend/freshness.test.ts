/**
 * The sidebar's "verified" line: when the last run was made, and whether the notebook's
 * code changed since (a hash of the code cells, computed like the server's).
 */
import type { Verified } from '../../runner/model';
import { CodeHash, codeCellsSha256, describeAge, freshness, verifiedLine } from '../../runner/freshness';

// The same constant python_kernel_hooks/tests/test_run_code_hash.py checks for the server's hash.
const EXPECTED = '7c526706c46f3b412785a8124fb441da373e27ed57e7bc7782d75782272ecca0';

describe('code hash', () => {
  it('hashes the code cell sources joined by NUL, as the server does', async () => {
    expect(await codeCellsSha256(['import keras', 'x = "é"  # ü'])).toBe(EXPECTED);
    expect(await codeCellsSha256(['import keras', 'x = 2'])).not.toBe(EXPECTED);
  });

  it('compares a run with the notebook now; a missing hash is unknown, never "unchanged"', () => {
    expect(freshness(EXPECTED, EXPECTED)).toBe('unchanged');
    expect(freshness(EXPECTED, 'other')).toBe('changed');
    expect(freshness(undefined, EXPECTED)).toBe('unknown');
    expect(freshness(EXPECTED, null)).toBe('unknown');
  });

  it('CodeHash follows the cells after a quiet period and signals only real changes', async () => {
    const hash = new CodeHash(10);
    let signals = 0;
    hash.changed.connect(() => signals++);
    let sources = ['import keras', 'x = "é"  # ü'];
    await hash.update(() => sources, 0);
    expect(hash.value).toBe(EXPECTED);
    expect(signals).toBe(1);
    await hash.update(() => sources);
    expect(signals).toBe(1);
    // Two quick edits: one hash, of the last text.
    sources = ['x = 1'];
    void hash.update(() => sources);
    sources = ['x = 2'];
    await hash.update(() => sources);
    expect(hash.value).toBe(await codeCellsSha256(['x = 2']));
    expect(signals).toBe(2);
    hash.clear();
    expect(hash.value).toBeNull();
    hash.dispose();
  });
});

describe('verified line', () => {
  const now = Date.UTC(2026, 10, 30, 7, 0, 0);
  const ran: Verified = { backend: 'jax', state: 'ran', cell: null, reason: null, when: now / 1000 - 5 * 60 };

  it('says what the run proved and when', () => {
    const line = verifiedLine(ran, 'unchanged', now);
    expect(line.text).toBe('Verified: runs the whole notebook · run 5 min ago');
    expect(line.freshness).toBe('unchanged');
  });

  it('says when the code changed since the run', () => {
    const fails: Verified = { ...ran, state: 'fails', cell: 2, reason: 'NotImplementedError: symbolic tensor\nmore' };
    const line = verifiedLine(fails, 'changed', now);
    expect(line.text).toBe(
      'Verified: fails at cell 3 (NotImplementedError: symbolic tensor) · run 5 min ago · the code changed since: run again to verify'
    );
    expect(line.freshness).toBe('changed');
  });

  it('ages read naturally', () => {
    expect(describeAge(now / 1000 - 10, now)).toBe('just now');
    expect(describeAge(now / 1000 - 3 * 3600, now)).toBe('3 h ago');
    expect(describeAge(now / 1000 - 3 * 86400, now)).toBe('3 days ago');
    // A clock slightly behind the server's never says "in the future".
    expect(describeAge(now / 1000 + 30, now)).toBe('just now');
  });
});
