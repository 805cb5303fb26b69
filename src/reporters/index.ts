/** Output formats of `scan` and the commands that report findings. Pure functions of a Report. */
import type { Report } from '../core/report.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  readonly color: boolean;
  readonly showSuppressed: boolean;
}

export type Reporter = (report: Report, options: RenderOptions) => string;

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  table: (r, o) => renderTable(r, o),
  json: (r) => renderJson(r),
  sarif: (r) => renderSarif(r),
  junit: (r) => renderJunit(r),
  markdown: (r, o) => renderMarkdown(r, o),
};

export const FORMATS: readonly string[] = Object.keys(REPORTERS);
