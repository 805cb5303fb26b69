/** The JSON reporter: the Report as documented by schema/report.schema.json. */
import type { Report } from '../core/report.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
