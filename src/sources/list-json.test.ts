import { describe, expect, it } from 'vitest';
import { rng } from '../../test/support/yaml-gen.js';
import { withoutManagedFields } from './list-json.js';

/** What the scan did before the cut: parse the page, then delete each item's metadata.managedFields. */
function reference(text: string): unknown {
  const list = JSON.parse(text) as { items?: unknown };
  if (Array.isArray(list.items)) {
    for (const it of list.items) {
      const meta = typeof it === 'object' && it !== null && !Array.isArray(it) ? (it as { metadata?: unknown }).metadata : undefined;
      if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) Reflect.deleteProperty(meta, 'managedFields');
    }
  }
  return list;
}

/** What the scan does now: cut, parse, and delete what is left (a key written with escapes is not cut). */
function cut(text: string): unknown {
  const out = withoutManagedFields(Buffer.from(text));
  return out === undefined ? undefined : reference(out.toString('utf8'));
}

const MF = '[{"manager":"kubectl","operation":"Update","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"k:{\\"name\\":\\"c\\"}":{}}}]';

describe('withoutManagedFields', () => {
  it.each([
    ['last member of metadata', `{"kind":"PodList","items":[{"metadata":{"name":"a","managedFields":${MF}},"spec":{}}]}`],
    ['first member', `{"items":[{"metadata":{"managedFields":${MF},"name":"a"}}]}`],
    ['only member', `{"items":[{"metadata":{"managedFields":${MF}}}]}`],
    ['middle member', `{"items":[{"metadata":{"name":"a","managedFields":${MF},"uid":"u"}}]}`],
    ['several items, some without', `{"items":[{"metadata":{"name":"a","managedFields":${MF}}},{"metadata":{"name":"b"}},{"metadata":{"name":"c","managedFields":[]}},3,"x",null,[1,{"metadata":{"managedFields":1}}]]}`],
    ['pretty-printed', `{\n  "items": [\n    {\n      "metadata": {\n        "name": "a",\n        "managedFields": ${MF}\n      }\n    },\n    { "metadata" : { "managedFields" : ${MF} , "name" : "b" } }\n  ]\n}\n`],
    ['managedFields elsewhere is kept', `{"metadata":{"managedFields":${MF}},"items":[{"spec":{"managedFields":${MF},"metadata":{"managedFields":1}},"metadata":{"name":"a","labels":{"managedFields":"x"}}}]}`],
    ['in strings and escaped keys', `{"items":[{"metadata":{"name":"a\\",\\"managedFields\\":[]","annotations":{"x":"{\\"managedFields\\":[1]}"},"manag\\u0065dFields":${MF}}}]}`],
    ['brackets and escapes inside the value', `{"items":[{"metadata":{"managedFields":[{"m":"a]}\\\\","n":"\\"[{"}],"name":"a"}}]}`],
    ['duplicate metadata keys (the last wins)', `{"items":[{"metadata":{"name":"a","managedFields":1},"metadata":{"name":"b","managedFields":2}}]}`],
    ['scalars of every kind', `{"items":[{"metadata":{"managedFields":[1,-2.5e3,true,false,null,""],"generation":7,"deleted":false}}],"n":1.5}`],
    ['empty list', `{"kind":"List","items":[]}`],
    ['no items', `{"kind":"Status","code":403}`],
    ['unicode', `{"items":[{"metadata":{"name":"ä€😀","managedFields":[{"manager":"é"}]}}]}`],
  ])('cuts exactly what deleting after parsing removes: %s', (_name, text) => {
    expect(JSON.stringify(cut(text))).toBe(JSON.stringify(reference(text)));
  });

  it('leaves nothing for the delete after parsing on a page as the API server writes it', () => {
    const page = `{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a","managedFields":${MF}},"spec":{}},{"metadata":{"managedFields":${MF},"name":"b"}}]}`;
    const out = withoutManagedFields(Buffer.from(page))?.toString('utf8');
    expect(out).toBe('{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"},"spec":{}},{"metadata":{"name":"b"}}]}');
  });

  it('gives the page itself when there is nothing to cut', () => {
    const b = Buffer.from('{"items":[{"metadata":{"name":"a"}}]}');
    expect(withoutManagedFields(b)).toBe(b);
  });

  it('gives undefined for what it cannot follow: not one complete JSON object, or two managedFields in one metadata (the caller parses the page as it came)', () => {
    for (const bad of ['', '[]', '"x"', '{', '{"items":[', '{"items":[{"metadata":{"managedFields":[1,2}}]}', '{"items":[{"metadata":{"managedFields":"x}}]}', '{"a":1} {"b":2}', '{"a" 1}', '{"a":1,}', '{"items":[{"metadata":{"managedFields":1,"managedFields":2}}]}']) {
      expect(withoutManagedFields(Buffer.from(bad))).toBeUndefined();
    }
  });

  it('agrees with parse-then-delete on generated pages', () => {
    const r = rng(7);
    const rand = (n: number): number => Math.floor(r() * n);
    const keys = ['managedFields', 'metadata', 'items', 'name', 'a"b', 'x\\y', 'ü', 'spec'];
    const value = (depth: number): unknown => {
      switch (depth > 3 ? rand(4) : rand(7)) {
        case 0:
          return rand(1000) - 500;
        case 1:
          return ['', 'managedFields', '"managedFields":[', '}]', '\\', 'é\n'][rand(6)];
        case 2:
          return [true, false, null][rand(3)];
        case 3:
          return rand(100) / 7;
        case 4:
          return Array.from({ length: rand(4) }, () => value(depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (let i = rand(5); i > 0; i--) o[keys[rand(keys.length)] as string] = value(depth + 1);
          return o;
        }
      }
    };
    for (let n = 0; n < 500; n++) {
      const items = Array.from({ length: rand(5) }, () => {
        const item = value(1);
        if (typeof item === 'object' && item !== null && !Array.isArray(item) && rand(3) > 0) {
          const meta = value(2);
          (item as Record<string, unknown>).metadata = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? { ...meta, managedFields: value(2) } : meta;
        }
        return item;
      });
      const text = JSON.stringify({ kind: 'List', metadata: { managedFields: 1 }, items }, null, rand(2) === 0 ? 0 : 1);
      expect(JSON.stringify(cut(text))).toBe(JSON.stringify(reference(text)));
    }
  });
});
