/**
 * The JSON reporter: the Report as documented by schema/report.schema.json. With the `--severity` display filter,
 * `findings` and `suppressed` list only findings at or above it while `summary` still counts every finding.
 * Written in chunks (chunks.ts): a report of any size renders without building one string.
 */
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { hardenJson, LazyArray, writeJsonText } from './safe-json.js';
import { displayView } from './view.js';

export function writeJson(report: Report, options: { readonly minSeverity?: Severity }, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const out = new ChunkWriter(sink, hardenJson);
  // The long lists are written element by element; everything else as JSON.stringify writes it.
  writeJsonText(
    {
      ...report,
      findings: new LazyArray(view.findings),
      suppressed: new LazyArray(view.suppressed),
      notEvaluated: new LazyArray(report.notEvaluated),
      problems: new LazyArray(report.problems),
    },
    out,
  );
  out.end();
}

export function renderJson(report: Report, options: { readonly minSeverity?: Severity } = {}): string {
  return collect((sink) => { writeJson(report, options, sink); });
}
