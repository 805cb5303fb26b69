import { describe, expect, it } from 'vitest';
import { CONFUSABLE_CHECKS, confusableWith, nearDuplicateIds } from './confusable.js';
import { allChecks } from './index.js';

describe('check ids that read almost alike', () => {
  const ids = allChecks.map((c) => c.id);
  it('every pair of near-duplicate ids is told apart in CONFUSABLE_CHECKS (add a note when adding such an id)', () => {
    const told = new Set(CONFUSABLE_CHECKS.map((p) => [...p.ids].sort().join(' ')));
    const missing = nearDuplicateIds(ids).filter(([a, b]) => !told.has([a, b].sort().join(' ')));
    expect(missing).toEqual([]);
  });
  it('names only registered checks, each pair once, with a note for each side', () => {
    const known = new Set(ids);
    for (const p of CONFUSABLE_CHECKS) {
      expect(p.ids.filter((id) => !known.has(id))).toEqual([]);
      expect(p.note.split('; ')).toHaveLength(2);
    }
    const keys = CONFUSABLE_CHECKS.map((p) => [...p.ids].sort().join(' '));
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('finds a word inserted anywhere, and reordered words', () => {
    expect(nearDuplicateIds(['etcd-client-plaintext', 'etcd-listen-client-plaintext', 'pod-host-pid', 'host-pod-pid', 'pod-host-network'])).toEqual([
      ['etcd-client-plaintext', 'etcd-listen-client-plaintext'],
      ['host-pod-pid', 'pod-host-pid'],
    ]);
    expect(confusableWith('etcd-listen-client-plaintext').map((c) => c.id)).toEqual(['etcd-client-plaintext']);
  });
});
