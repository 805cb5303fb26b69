/**
 * JUnit XML: one testsuite per check, one testcase per check × resource with findings (failure),
 * a passing testcase for a check without findings (skipped when it was not applicable: nothing it judges was in the
 * input), suppressed and not-evaluated items as skipped,
 * and input problems as errors of an `input` suite. Each check's suite names the framework controls it maps to as
 * properties (`cis:5.2.2` → title); with `--framework`, one suite per framework view has a testcase per control
 * (FAIL a failure with its evidence, MANUAL and NOT_EVALUATED skipped with why, PASS a passing testcase).
 */
import type { Finding } from '../core/finding.js';
import type { FrameworkView, Report } from '../core/report.js';
import type { MappedControl } from '../engines/frameworks/data.js';
import type { Severity } from '../core/severity.js';
import { counted, defuseCiCommands } from '../core/text.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
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

interface Suite {
  readonly name: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  /** `<property>` name → value pairs of the suite. */
  readonly properties?: readonly (readonly [string, string])[];
  /** The testcases, made as they are written. */
  readonly cases: () => Iterable<string>;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

/** The suites with their counts (the root element carries the totals, so they are counted before anything is written). */
function suitesOf(report: Report, view: ReturnType<typeof displayView>, mapped?: ReadonlyMap<string, readonly MappedControl[]>): Suite[] {
  const suites: Suite[] = [];
  const findingsOf = groupBy(view.findings, (f) => f.checkId);
  const suppressedOf = groupBy(view.suppressed, (s) => s.finding.checkId);
  const notEvaluatedOf = groupBy(
    report.notEvaluated.filter((n) => n.checkId !== undefined),
    (n) => n.checkId ?? '',
  );
  const outcomes = new Map((report.results ?? []).map((r) => [r.id, r.outcome]));
  for (const check of report.checks) {
    const notEvaluated = notEvaluatedOf.get(check.id) ?? [];
    const byResource = groupBy(findingsOf.get(check.id) ?? [], resourceKey);
    const suppressedRes = new Map<string, string>();
    for (const s of suppressedOf.get(check.id) ?? []) suppressedRes.set(resourceKey(s.finding), `suppressed by ${s.by}: ${s.reason}`);
    let skippedSuppressed = 0;
    for (const res of suppressedRes.keys()) if (!byResource.has(res)) skippedSuppressed++;
    const real = byResource.size + skippedSuppressed + notEvaluated.length;
    // A check that judged nothing is a skipped testcase, not a passing one.
    const notApplicable = real === 0 && outcomes.get(check.id) === 'not-applicable';
    const skipped = skippedSuppressed + notEvaluated.length + (notApplicable ? 1 : 0);
    const controls = mapped?.get(check.id) ?? [];
    suites.push({
      name: check.id,
      ...(controls.length > 0 ? { properties: controls.map((c) => [`${c.framework}:${c.id}`, c.title] as const) } : {}),
      tests: real === 0 ? 1 : real,
      failures: byResource.size,
      errors: 0,
      skipped,
      *cases() {
        for (const [res, list] of byResource) {
          const first = list[0];
          const file = first?.location ? ` file="${xmlEscape(first.location.file)}" line="${first.location.line}"` : '';
          yield `    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}"${file}>\n      <failure type="${xmlEscape(first?.severity ?? check.severity)}" message="${xmlEscape(first?.message ?? '')}">${list.map((f) => xmlEscape(line(f))).join('\n')}\n${xmlEscape(`Remediation: ${check.remediation}`)}</failure>\n    </testcase>`;
        }
        for (const [res, why] of suppressedRes) {
          if (byResource.has(res)) continue;
          yield `    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}">\n      <skipped message="${xmlEscape(why)}"/>\n    </testcase>`;
        }
        for (const n of notEvaluated) {
          const res = n.resource ? `${n.resource.kind}/${n.resource.namespace !== undefined ? `${n.resource.namespace}/` : ''}${n.resource.name}` : '(global)';
          yield `    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(res)}">\n      <skipped message="${xmlEscape(`not evaluated (${n.reason}): ${n.message}`)}"/>\n    </testcase>`;
        }
        if (real === 0 && notApplicable) yield `    <testcase classname="${xmlEscape(check.id)}" name="not applicable">\n      <skipped message="${xmlEscape('not applicable: nothing this check judges was in the input')}"/>\n    </testcase>`;
        else if (real === 0) yield `    <testcase classname="${xmlEscape(check.id)}" name="${xmlEscape(`no finding on ${counted(report.summary.objectsScanned, 'object')}`)}"/>`;
      },
    });
  }
  for (const v of report.frameworks ?? []) suites.push(frameworkSuite(v));
  const general = report.notEvaluated.filter((n) => n.checkId === undefined);
  if (report.problems.length > 0 || general.length > 0) {
    const tests = report.problems.length + general.length;
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    suites.push({
      name: 'input',
      tests,
      failures: 0,
      errors,
      skipped: tests - errors,
      *cases() {
        for (const p of report.problems) {
          const name = `${p.file ?? '(input)'}${p.line !== undefined ? `:${p.line}` : ''}`;
          const tag = p.severity === 'error' ? 'error' : 'skipped';
          yield `    <testcase classname="input" name="${xmlEscape(name)}">\n      <${tag} ${tag === 'error' ? `type="${xmlEscape(p.code)}" ` : ''}message="${xmlEscape(p.message)}"/>\n    </testcase>`;
        }
        for (const n of general) yield `    <testcase classname="input" name="${xmlEscape(n.source?.uri ?? n.resource?.name ?? '(input)')}">\n      <skipped message="${xmlEscape(`not evaluated (${n.reason}): ${n.message}`)}"/>\n    </testcase>`;
      },
    });
  }
  return suites;
}

/** A `--framework` view as a suite: a testcase per control. */
function frameworkSuite(v: FrameworkView): Suite {
  const count = (verdicts: readonly string[]): number => v.controls.filter((c) => verdicts.includes(c.verdict)).length;
  const skipped = count(['MANUAL', 'NOT_EVALUATED', 'NOT_APPLICABLE']);
  return {
    name: `framework:${v.framework}`,
    properties: [
      ['framework', `${v.name} ${v.version}`],
      ['score', v.summary.score === null ? 'none' : `${v.summary.score}%`],
    ],
    tests: v.controls.length,
    failures: count(['FAIL']),
    errors: 0,
    skipped,
    *cases() {
      for (const c of v.controls) {
        const head = `    <testcase classname="${xmlEscape(`framework:${v.framework}`)}" name="${xmlEscape(`${c.id} ${c.title}`)}"`;
        const why = c.evidence.join('\n');
        if (c.verdict === 'PASS') yield `${head}/>`;
        else if (c.verdict === 'FAIL') yield `${head}>\n      <failure type="FAIL" message="${xmlEscape(`${c.findings} finding${c.findings === 1 ? '' : 's'} of ${c.checks.join(', ')}`)}">${xmlEscape(why)}</failure>\n    </testcase>`;
        else yield `${head}>\n      <skipped message="${xmlEscape(`${c.verdict}: ${why}`)}"/>\n    </testcase>`;
      }
    },
  };
}

/** What the JUnit writer takes beside the report. */
export interface JunitOptions {
  readonly minSeverity?: Severity;
  /** The framework controls each check maps to (suite properties). */
  readonly frameworkControls?: ReadonlyMap<string, readonly MappedControl[]>;
}

/** JUnit XML written in chunks (chunks.ts): the counts first, then each testcase as it is made. */
export function writeJunit(report: Report, options: JunitOptions, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const suites = suitesOf(report, view, options.frameworkControls);
  const total = (k: 'tests' | 'failures' | 'errors' | 'skipped'): number => suites.reduce((n, s) => n + s[k], 0);
  const out = new ChunkWriter(sink, (t) => defuseCiCommands(t, (c) => (c === '#' ? '&#35;' : '&#58;')));
  out.push('<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kspect" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" timestamp="${xmlEscape(report.generatedAt)}">`);
  if (suites.length === 0) out.push('');
  for (const suite of suites) {
    out.push(`  <testsuite name="${xmlEscape(suite.name)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" skipped="${suite.skipped}">`);
    if (suite.properties && suite.properties.length > 0) {
      out.push('    <properties>');
      for (const [name, value] of suite.properties) out.push(`      <property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`);
      out.push('    </properties>');
    }
    for (const c of suite.cases()) out.push(c);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  out.end();
}

export function renderJunit(report: Report, options: JunitOptions = {}): string {
  return collect((sink) => { writeJunit(report, options, sink); });
}
