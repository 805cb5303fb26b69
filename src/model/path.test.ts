import { describe, expect, it } from 'vitest';
import { formatPath, joinPath, parsePath } from './path.js';

describe('field paths', () => {
  it.each([
    [['spec', 'containers', 1, 'securityContext', 'privileged'], 'spec.containers[1].securityContext.privileged'],
    [['metadata', 'annotations', 'kspect.dev/ignore'], 'metadata.annotations["kspect.dev/ignore"]'],
    [['data', 'a"b'], 'data["a\\"b"]'],
    [[0, 'x'], '[0].x'],
    [[], ''],
  ] as const)('%j ⇄ %s', (segments, text) => {
    expect(formatPath(segments)).toBe(text);
    expect(parsePath(text)).toEqual(segments);
  });
  it('joins onto a base', () => {
    expect(joinPath('spec.template.spec', 'containers', 0)).toBe('spec.template.spec.containers[0]');
    expect(joinPath('', 'spec')).toBe('spec');
    expect(joinPath('spec.volumes', 2)).toBe('spec.volumes[2]');
    expect(joinPath('spec')).toBe('spec');
  });
});
