/** Terminal styling that reporters receive from the CLI: colour only when the CLI says so. */
import type { Severity } from '../core/severity.js';

export interface Style {
  readonly color: boolean;
}

const CODES: Readonly<Record<Severity | 'bold' | 'dim', [number, number]>> = {
  critical: [35, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [90, 39],
  bold: [1, 22],
  dim: [2, 22],
};

export function paint(style: Style, what: Severity | 'bold' | 'dim', text: string): string {
  if (!style.color) return text;
  const [a, b] = CODES[what];
  return `\u001b[${a}m${text}\u001b[${b}m`;
}
