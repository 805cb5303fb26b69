import { describe, expect, it } from 'vitest';
import { splitRendered } from './helm.js';

describe('splitRendered', () => {
  it('names each document by its template inside the chart folder, subcharts included', () => {
    const out = ['---', '# Source: web/templates/service.yaml', 'apiVersion: v1', 'kind: Service', '---', '# Source: web/charts/db/templates/sts.yaml', 'kind: StatefulSet', '---', '# Source: web/templates/service.yaml', 'kind: Service', ''].join('\n');
    expect(splitRendered(out).map((p) => [p.template, p.text.trimStart().split('\n')[0]])).toEqual([
      ['templates/service.yaml', 'apiVersion: v1'],
      ['charts/db/templates/sts.yaml', 'kind: StatefulSet'],
      ['templates/service.yaml', 'kind: Service'],
    ]);
  });
  it('drops the marker, so line n of a piece is line n of the rendered template', () => {
    const [piece] = splitRendered('---\n# Source: web/templates/a.yaml\nkind: Pod\nmetadata: {name: a}\n');
    expect(piece?.text.split('\n').slice(0, 2)).toEqual(['kind: Pod', 'metadata: {name: a}']);
  });
  it('pads a template\'s later documents to their lines in the template (after the earlier ones and a --- line)', () => {
    const pieces = splitRendered('---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\nmetadata: {name: a}\n---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\nmetadata: {name: b}\n');
    // In the template: lines 1-2 the first document, line 3 `---`, line 4 the second.
    expect(pieces[1]?.text.split('\n').indexOf('kind: ConfigMap')).toBe(3);
  });
  it('keeps output before the first marker (notes, hooks without a source) under no template', () => {
    expect(splitRendered('kind: Pod\n').map((p) => p.template)).toEqual([undefined]);
    expect(splitRendered('---\n\n')).toEqual([]);
  });
});
