import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../core/config.js';
import { UsageError } from '../core/result.js';
import { checksArg, failOnArg, formatArg, k8sVersionArg, outputArg, outputFlags } from './options.js';

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('no usage error');
}

describe('the shared options', () => {
  it('-f is the format; a path there is the old spelling of the inputs', () => {
    expect(formatArg(undefined)).toBe('table');
    expect(formatArg('sarif')).toBe('sarif');
    expect(usage(() => formatArg('rbac.yaml'))).toMatch(/^-f is the format now .*give inputs as positional paths/);
    expect(usage(() => formatArg('pdf'))).toMatch(/^--format must be one of table, json/);
  });
  it('-o is the output file; `-o json` without -f is refused with the new spelling', () => {
    expect(outputArg('out.json', undefined)).toBe('out.json');
    expect(outputArg('json', 'table')).toBe('json');
    expect(usage(() => outputArg('json', undefined))).toBe('-o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)');
  });
  it('--fail-on none means report only', () => {
    expect(failOnArg('none', 'high')).toBe('none');
    expect(failOnArg(undefined, 'high')).toBe('high');
    expect(usage(() => failOnArg('urgent', 'high'))).toContain('none');
    expect(outputFlags({}, { ...EMPTY_CONFIG, failOn: 'none' }, 'high').failOn).toBe('none');
    expect(outputFlags({ 'fail-on': 'low' }, { ...EMPTY_CONFIG, failOn: 'none' }, 'high').failOn).toBe('low');
  });
  it('--k8s-version accepts 1.34, v1.34 and 1.34.2 alike', () => {
    for (const v of ['1.34', 'v1.34', '1.34.2', 'v1.34.12']) expect(k8sVersionArg(v)).toBe('1.34');
    for (const v of ['1', '2.1', '1.x', '1.34.2.1', 'latest']) expect(() => k8sVersionArg(v), v).toThrow(UsageError);
  });
  it('--checks splits ids', async () => {
    await expect(checksArg('a, b,,c')).resolves.toEqual(['a', 'b', 'c']);
    await expect(checksArg(',')).rejects.toThrow(UsageError);
  });
});
