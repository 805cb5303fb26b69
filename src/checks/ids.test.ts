import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from './ids.js';
import { allChecks } from './index.js';

describe('CHECK_IDS', () => {
  it('is the id of every check of the registry, in its order', () => {
    expect(CHECK_IDS).toEqual(allChecks.map((c) => c.id));
  });
});
