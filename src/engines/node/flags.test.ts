import { describe, expect, it } from 'vitest';
import { parseFlags, parseGoBool, splitWords } from './flags.js';

describe('parseFlags', () => {
  it.each([
    [['kube-apiserver', '--profiling=false'], 'profiling', 'false'],
    [['kube-apiserver', '--audit-log-path', '/var/log/a.log'], 'audit-log-path', '/var/log/a.log'],
    [['kube-apiserver', '--profiling'], 'profiling', 'true'],
    // A boolean flag does not take the next word (pflag): "false" is a positional argument.
    [['kube-apiserver', '--anonymous-auth', 'false'], 'anonymous-auth', 'true'],
    [['kube-apiserver', '--profiling', '--x=1'], 'profiling', 'true'],
    [['etcd', '-data-dir=/var/lib/etcd'], 'data-dir', '/var/lib/etcd'],
    [['kube-apiserver', '--token-auth-file='], 'token-auth-file', ''],
    [['kube-apiserver', '--v=2', '--v=4'], 'v', '4'],
    [['kube-apiserver', '--', '--profiling=true'], 'profiling', undefined],
  ])('%j: %s = %s', (argv, name, value) => {
    expect(parseFlags(argv).get(name)).toBe(value);
  });

  it('accumulates repeated list flags and comma lists', () => {
    const f = parseFlags(['x', '--enable-admission-plugins=NodeRestriction,EventRateLimit', '--enable-admission-plugins', 'AlwaysPullImages', '--authorization-mode=Node, RBAC,']);
    expect(f.list('enable-admission-plugins')).toEqual(['NodeRestriction', 'EventRateLimit', 'AlwaysPullImages']);
    expect(f.list('authorization-mode')).toEqual(['Node', 'RBAC']);
    expect(f.list('missing')).toBeUndefined();
  });

  it('merges feature gates, later occurrences win', () => {
    const f = parseFlags(['x', '--feature-gates=A=true,B=false', '--feature-gates=A=false']);
    expect([...(f.map('feature-gates') ?? [])]).toEqual([
      ['A', 'false'],
      ['B', 'false'],
    ]);
  });

  it('records token indexes for locating flags', () => {
    const f = parseFlags(['x', '--a', 'b', '--c=d']);
    expect(f.last('c')?.index).toBe(3);
    expect(f.last('a')?.index).toBe(1);
  });
});

describe('parseGoBool', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['1', true],
    ['t', true],
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['yes', undefined],
    ['', undefined],
  ])('%s → %s', (s, b) => {
    expect(parseGoBool(s)).toBe(b);
  });
});

describe('splitWords', () => {
  it('honours quotes and escapes', () => {
    expect(splitWords(`a "b c" 'd e' f\\ g`)).toEqual(['a', 'b c', 'd e', 'f g']);
    expect(splitWords('KUBELET_KUBEADM_ARGS="--a=1 --b=2"')).toEqual(['KUBELET_KUBEADM_ARGS=--a=1 --b=2']);
  });
});
