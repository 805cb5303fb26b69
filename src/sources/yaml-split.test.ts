import { describe, expect, it } from 'vitest';
import { splitDocuments } from './yaml-split.js';

const pieces = (text: string) => [...splitDocuments(text)].map((c) => ({ text: text.slice(c.start, c.end), ...(c.badSeparator ? { bad: true } : {}) }));

describe('splitDocuments (kubectl YAMLReader)', () => {
  it('splits on --- lines, dropping them, and keeps blank pieces', () => {
    expect(pieces('a: 1\n---\nb: 2\n')).toEqual([{ text: 'a: 1\n' }, { text: 'b: 2\n' }]);
    expect(pieces('---\na: 1\n---\n---\nb: 2')).toEqual([{ text: 'a: 1\n' }, { text: 'b: 2' }]);
    expect(pieces('a: 1\n\n---\n\n')).toEqual([{ text: 'a: 1\n\n' }, { text: '\n' }]);
    expect(pieces('')).toEqual([]);
  });
  it('accepts trailing blanks and comments after ---, and CRLF', () => {
    expect(pieces('a: 1\n--- # next\nb: 2\n---  \t\r\nc: 3\r\n')).toEqual([{ text: 'a: 1\n' }, { text: 'b: 2\n' }, { text: 'c: 3\r\n' }]);
    expect(pieces('a: 1\n---#c\nb: 2\n').map((p) => p.text)).toEqual(['a: 1\n', 'b: 2\n']);
  });
  it('marks a --- line with content, which kubectl refuses, and keeps it for the parser', () => {
    expect(pieces('a: 1\n--- {b: 2}\n----\n')).toEqual([{ text: 'a: 1\n' }, { text: '--- {b: 2}\n', bad: true }, { text: '----\n', bad: true }]);
  });
  it('does not split on --- inside a line or on ...', () => {
    expect(pieces('a: "---"\n ---\n...\nb: 1\n').map((p) => p.text)).toEqual(['a: "---"\n ---\n...\nb: 1\n']);
  });
});
