import { describe, expect, it } from 'vitest';
import { goBytesToString, goFloat32Key, GoYamlError, isArrayIndexKey, isGoTimestamp, plainValue, scalarKey, scalarValue } from './yaml-go.js';

const plain = (text: string) => ({ text, plain: true, tag: '' });
const tagged = (tag: string, text: string, isPlain = true) => ({ text, plain: isPlain, tag: tag.startsWith('!!') ? `tag:yaml.org,2002:${tag.slice(2)}` : tag });

describe('go-yaml v2 scalar values', () => {
  // Expected values as kube-apiserver stores them (see test/cluster/yaml-decoding.test.ts for the live proof).
  const cases: [string, unknown][] = [
    ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['On', true], ['ON', true],
    ['no', false], ['No', false], ['NO', false], ['n', false], ['N', false], ['off', false], ['Off', false], ['OFF', false],
    ['true', true], ['True', true], ['TRUE', true], ['false', false],
    ['yEs', 'yEs'], ['oN', 'oN'], ['tRue', 'tRue'], ['nULL', 'nULL'],
    ['~', null], ['null', null], ['Null', null], ['NULL', null], ['', null],
    ['0', 0], ['-0', 0], ['+12', 12], ['0777', 511], ['00', 0], ['08', 8], ['0789', 789], ['0o17', 15], ['0O17', 15],
    ['0x1F', 31], ['0X1f', 31], ['+0x10', 16], ['-0x10', -16], ['0b101', 5], ['0B11', 3], ['-0b11', -3], ['0b-1', -1], ['0b+1', 1],
    ['1_000', 1000], ['1__0', 10], ['0_0', 0], ['-_1', -1], ['1_', 1], ['0xff_ff', 65535],
    ['1.5', 1.5], ['+.5', 0.5], ['.5', 0.5], ['1.', 1], ['1e3', 1000], ['1E3', 1000], ['-1e-3', -0.001], ['.5e3', 500], ['1.5e-400', 0],
    ['9007199254740993', 9007199254740992], ['18446744073709551615', 2 ** 64], ['18446744073709551616', 2 ** 64],
    ['0777777777777777777777777', Number('777777777777777777777777')],
    ['_1', '_1'], ['.', '.'], ['+', '+'], ['0x', '0x'], ['0b', '0b'], ['.e3', '.e3'], ['1e400', '1e400'], ['0x1FFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFF'],
    ['1:00', '1:00'], ['190:20:30', '190:20:30'], ['2001-12-14', '2001-12-14'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
    ['Infinity', 'Infinity'], ['NaN', 'NaN'], ['<<', '<<'], ['nginx:1.27', 'nginx:1.27'],
  ];
  it.each(cases)('plain %j is %j', (text, value) => {
    expect(scalarValue(plain(text))).toStrictEqual(value);
    expect(plainValue(text)).toStrictEqual(value);
  });

  it('keeps quoted and block scalars as strings', () => {
    expect(scalarValue({ text: 'yes', plain: false, tag: '' })).toBe('yes');
    expect(scalarValue({ text: '0777', plain: false, tag: '' })).toBe('0777');
  });

  it('refuses .inf and .nan values (no JSON form), when the value survives into the document', () => {
    for (const t of ['.inf', '.Inf', '+.INF', '-.inf', '.nan', '.NaN']) {
      expect(() => scalarValue(plain(t))).toThrow(GoYamlError);
      try {
        scalarValue(plain(t));
      } catch (e) {
        expect((e as GoYamlError).atConversion).toBe(true);
      }
    }
  });

  it('applies explicit tags as go-yaml does', () => {
    expect(scalarValue(tagged('!!str', 'yes'))).toBe('yes');
    expect(scalarValue(tagged('!!int', '12', false))).toBe(12);
    expect(scalarValue(tagged('!!int', '0x10'))).toBe(16);
    expect(scalarValue(tagged('!!float', '1'))).toBe(1);
    expect(scalarValue(tagged('!!bool', 'on', false))).toBe(true);
    expect(scalarValue(tagged('!!null', ''))).toBe(null);
    expect(scalarValue(tagged('!!binary', 'aGVsbG8='))).toBe('hello');
    expect(scalarValue(tagged('!!binary', 'aGVs\nbG8='))).toBe('hello');
    expect(scalarValue(tagged('!!binary', '/w=='))).toBe('\ufffd');
    expect(scalarValue(tagged('!!timestamp', '2001-12-14'))).toBe('2001-12-14');
    expect(scalarValue(tagged('!local', '12'))).toBe('12');
    expect(scalarValue(tagged('!', '12'))).toBe('12');
    expect(scalarValue(tagged('!!map', 'x'))).toBe('x');
    for (const [tag, text] of [['!!int', 'abc'], ['!!int', '1.5'], ['!!bool', 'maybe'], ['!!float', 'x'], ['!!null', '0'], ['!!binary', 'aGVsbG8'], ['!!binary', 'a b='], ['!!timestamp', '12'], ['!!float', '18446744073709551615']] as const) {
      expect(() => scalarValue(tagged(tag, text)), `${tag} ${text}`).toThrow(GoYamlError);
    }
  });

  it('never quotes the value in an error message', () => {
    try {
      scalarValue(tagged('!!int', 'hunter2-secret'));
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});

describe('sigs.k8s.io/yaml map keys', () => {
  const cases: [string, string][] = [
    ['yes', 'true'], ['on', 'true'], ['Y', 'true'], ['no', 'false'], ['OFF', 'false'], ['true', 'true'], ['1', '1'], ['0777', '511'],
    ['0x10', '16'], ['-1', '-1'], ['1_0', '10'], ['9223372036854775807', '9223372036854775807'], ['1.5', '1.5'], ['1e3', '1000'],
    ['100000000.0', '1e+08'], ['1e6', '1e+06'], ['123456', '123456'], ['0.1', '0.1'], ['0.0001', '0.0001'], ['0.00001', '1e-05'],
    ['3.14159265358979', '3.1415927'], ['-0.0', '-0'], ['.inf', '.inf'], ['-.inf', '-.inf'], ['.nan', '.nan'], ['2001-12-14', '2001-12-14'],
    ['name', 'name'], ['<<', '<<'],
  ];
  it.each(cases)('plain key %j is %j', (text, key) => {
    expect(scalarKey(plain(text))).toBe(key);
  });
  it('refuses null and uint64 keys at JSON conversion', () => {
    for (const t of ['~', 'null', '', '18446744073709551615']) {
      expect(() => scalarKey(plain(t)), t).toThrow(GoYamlError);
    }
    expect(scalarKey({ text: 'null', plain: false, tag: '' })).toBe('null');
  });
  it('formats float keys like Go float32 %g', () => {
    expect(goFloat32Key(16777217)).toBe('1.6777216e+07');
    expect(goFloat32Key(0.3)).toBe('0.3');
    expect(goFloat32Key(1e-10)).toBe('1e-10');
    expect(goFloat32Key(3.4e38)).toBe('3.4e+38');
    expect(goFloat32Key(1e39)).toBe('.inf');
  });
});

describe('helpers', () => {
  it('recognises go-yaml timestamps', () => {
    expect(isGoTimestamp('2001-12-14')).toBe(true);
    expect(isGoTimestamp('2001-1-2')).toBe(true);
    expect(isGoTimestamp('2001-12-14t21:59:43.10-05:00')).toBe(true);
    expect(isGoTimestamp('2001-12-14T21:59:43Z')).toBe(true);
    expect(isGoTimestamp('2001-12-14 21:59:43.10')).toBe(true);
    expect(isGoTimestamp('2001-12-14 21:59:43.10 -5')).toBe(false);
    expect(isGoTimestamp('2002-02-29')).toBe(false);
    expect(isGoTimestamp('2000-02-29')).toBe(true);
    expect(isGoTimestamp('12')).toBe(false);
  });
  it('turns bytes into a string as Go JSON does (one U+FFFD per invalid byte)', () => {
    expect(goBytesToString(Buffer.from([0x68, 0xe2, 0x82, 0x41]))).toBe('h\ufffd\ufffdA');
    expect(goBytesToString(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\ufffd\ufffd\ufffd');
    expect(goBytesToString(Buffer.from('caf\u00e9 \u2713 \u{1f600}'))).toBe('caf\u00e9 \u2713 \u{1f600}');
  });
  it('knows the keys JavaScript orders first', () => {
    expect(['0', '1', '42', '4294967294'].every(isArrayIndexKey)).toBe(true);
    expect(['01', '-1', '1.5', '4294967295', 'a1', ''].some(isArrayIndexKey)).toBe(false);
  });
});
