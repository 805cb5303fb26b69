import { describe, expect, it } from 'vitest';
import { looksLikePem, parsePem, toPem } from './pem.js';

const body = toPem('CERTIFICATE', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]));

describe('PEM framing', () => {
  it.each([
    ['one block', body, 1, []],
    ['two blocks with text around', `subject=x\n${body}junk\n${body}`, 2, []],
    ['CRLF line ends', body.replace(/\n/g, '\r\n'), 1, []],
    ['truncated: no END line', body.slice(0, body.indexOf('-----END')), 0, ['PEM block "CERTIFICATE" is truncated: no "-----END CERTIFICATE-----" line']],
    ['END of another label', body.replace('END CERTIFICATE', 'END PRIVATE KEY'), 0, ['PEM block "CERTIFICATE" ends with "END PRIVATE KEY"']],
    ['not base64', '-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n', 0, ['PEM block "CERTIFICATE" has a line that is not base64 (line 2)']],
    ['empty body', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', 0, ['PEM block "CERTIFICATE" has an empty or malformed body']],
    ['a new BEGIN before END', `${body.slice(0, 40)}\n${body}`, 1, ['PEM block "CERTIFICATE" is truncated: no "-----END CERTIFICATE-----" line']],
  ])('%s', (_name, text, blocks, problems) => {
    const r = parsePem(text);
    expect(r.blocks).toHaveLength(blocks);
    expect(r.problems.map((p) => p.message)).toEqual(problems);
  });

  it('keeps legacy encryption headers', () => {
    const r = parsePem('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQU=\n-----END RSA PRIVATE KEY-----\n');
    expect(r.blocks[0]?.headers['Proc-Type']).toBe('4,ENCRYPTED');
    expect(Array.from(r.blocks[0]?.der ?? [])).toEqual([0x30, 0x03, 0x02, 0x01, 0x05]);
  });

  it('tells PEM from DER', () => {
    expect(looksLikePem(new TextEncoder().encode(body))).toBe(true);
    expect(looksLikePem(new Uint8Array([0x30, 0x82, 0x01]))).toBe(false);
  });
});
