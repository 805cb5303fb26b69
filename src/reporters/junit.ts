/**
 * JUnit XML: one testsuite per check, one testcase per check × resource with findings (failure),
 * a passing testcase for a check without findings, suppressed and not-evaluated items as skipped,
 * and input problems as errors of an `input` suite.
 */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { counted, defuseCiCommands } from '../core/text.js';
import { displayView } from './view.js';

const ENTITY: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/**
 * Text for an XML attribute value or element content, valid XML 1.0 whatever `s` holds: markup characters as
 * entities; tab, newline and carriage return as character references (so input can never start a line of the
 * output, and attribute values keep them); characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE,
 * U+FFFF) as visible `\xNN` text; lone surrogates as U+FFFD; C1 and bidi controls and U+2028/2029 as character
 * references, so the document printed on a terminal cannot drive it.
 */
export function xmlEscape(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) rep = c === 0x09 || c === 0x0a || c === 0x0d ? `&#${c};` : `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x22 || c === 0x27) rep = ENTITY[s.charAt(i)];
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    } else if (c === 0xfffe || c === 0xffff) rep = `\\u${c.toString(16)}`;
    else if ((c >= 0x7f && c <= 0x9f) || c === 0x061c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) rep = `&#x${c.toString(16)};`;
    if (rep === undefined) continue;
    out += s.slice(from, i) + rep;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

function resourceKey(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type}:${f.source.uri}` : '(global)';
  return `${r.kind}/${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

function line(f: Finding): string {
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : (f.source?.uri ?? '');
  return `[${f.severity}] ${f.message}${f.resource?.container !== undefined ? ` (container ${f.resource.container})` : ''}${f.path !== undefined ? ` at ${f.path}` : ''}${where ? ` — ${where}` : ''}`;
}

export function renderJunit(report: Report, options: { readonly minSeverity?: Severity } = {}): string {
  const view = displayView(report, options.minSeverity);
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  let totalErrors = 0;
  for (const check of report.checks) {
    const findings = view.findings.filter((f) => f.checkId === check.id);
    const suppressed = view.suppressed.filter((s) => s.finding.checkId === check.id);
    const notEvaluated = report.notEvaluated.filter((n) => n.checkId === check.id);
    const byResource = new Map<string, Finding[]>();
    for (const f of findings) {
      const k = resourceKey(f);
      byResource.set(k, [...(byResource.get(k) ?? []), f]);
    }
    const cases: string[] = [];
    for (const [res, list] of byResource) {
      const first = list[0];
      const file = first?.location ? ` file="${xmlEscape(first.location.file)}" line="${first.location.line}"` : '';
      cases.push(
        `    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}"${file}>\n      <failure type="${xmlEscape(first?.severity ?? check.severity)}" message="${xmlEscape(first?.message ?? '')}">${list.map((f) => xmlEscape(line(f))).join('\n')}\n${xmlEscape(`Remediation: ${check.remediation}`)}</failure>\n    </testcase>`,
      );
    }
    const suppressedRes = new Map<string, string>();
    for (const s of suppressed) suppressedRes.set(resourceKey(s.finding), `suppressed by ${s.by}: ${s.reason}`);
    for (const [res, why] of suppressedRes) {
      if (byResource.has(res)) continue;
      cases.push(`    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}">\n      <skipped message="${xmlEscape(why)}"/>\n    </testcase>`);
    }
    for (const n of notEvaluated) {
      const res = n.resource ? `${n.resource.kind}/${n.resource.namespace !== undefined ? `${n.resource.namespace}/` : ''}${n.resource.name}` : '(global)';
      cases.push(`    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}">\n      <skipped message="${xmlEscape(`not evaluated (${n.reason}): ${n.message}`)}"/>\n    </testcase>`);
    }
    if (cases.length === 0) cases.push(`    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(`no finding on ${counted(report.summary.objectsScanned, 'object')}`)}"/>`);
    const failures = byResource.size;
    const skipped = cases.filter((c) => c.includes('<skipped')).length;
    totalTests += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(`  <testsuite name="${xmlEscape(check.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const general = report.notEvaluated.filter((n) => n.checkId === undefined);
  if (report.problems.length > 0 || general.length > 0) {
    const cases = [
      ...report.problems.map((p) => {
        const name = `${p.file ?? '(input)'}${p.line !== undefined ? `:${p.line}` : ''}`;
        const tag = p.severity === 'error' ? 'error' : 'skipped';
        return `    <testcase classname="input" name="${xmlEscape(name)}">\n      <${tag} ${tag === 'error' ? `type="${xmlEscape(p.code)}" ` : ''}message="${xmlEscape(p.message)}"/>\n    </testcase>`;
      }),
      ...general.map((n) => `    <testcase classname="input" name="${xmlEscape(n.source?.uri ?? n.resource?.name ?? '(input)')}">\n      <skipped message="${xmlEscape(`not evaluated (${n.reason}): ${n.message}`)}"/>\n    </testcase>`),
    ];
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const skipped = cases.length - errors;
    totalTests += cases.length;
    totalErrors += errors;
    totalSkipped += skipped;
    suites.push(`  <testsuite name="input" tests="${cases.length}" failures="0" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kspect" tests="${totalTests}" failures="${totalFailures}" errors="${totalErrors}" skipped="${totalSkipped}" timestamp="${xmlEscape(report.generatedAt)}">\n${suites.join('\n')}\n</testsuites>\n`;
  return defuseCiCommands(xml, (c) => (c === '#' ? '&#35;' : '&#58;'));
}
