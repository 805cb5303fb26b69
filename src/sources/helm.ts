/**
 * Helm charts as input: a folder with a Chart.yaml is rendered with the user's `helm template` (when helm is
 * installed), within a time limit, without plugins, and the output is split at helm's `# Source:` comments so every
 * object keeps the template file it came from, and line n of a piece is line n of the rendered template.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HelmResult = { readonly ok: true; readonly yaml: string } | { readonly ok: false; readonly error: string };

export interface HelmOptions {
  /** Values files (`-f`), in order; local files only. */
  readonly values?: readonly string[];
  readonly timeoutMs?: number;
}

/** The first line of helm's complaint, without its `Error:` prefix. */
function helmError(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^Error:\s*/, '').slice(0, 500);
}

/**
 * Run `helm template CHART_DIR -f VALUES…`. Helm's cache, configuration and plugin folders point at an empty temporary
 * folder: no repository index, no plugin, no credential of the user's Helm set-up is used.
 */
export async function helmTemplate(dir: string, options: HelmOptions = {}): Promise<HelmResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const home = await mkdtemp(join(tmpdir(), 'kspect-helm-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      HELM_PLUGINS: join(home, 'plugins'),
      HELM_REGISTRY_CONFIG: join(home, 'registry.json'),
      HELM_REPOSITORY_CONFIG: join(home, 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: join(home, 'repository'),
    };
    const args = ['template', dir, ...(options.values ?? []).flatMap((v) => ['--values', v])];
    // child_process is loaded only to render a chart (~8 ms of every run's start otherwise).
    const { execFile } = await import('node:child_process');
    return await new Promise<HelmResult>((done) => {
      execFile('helm', args, { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL', env }, (error, stdout, stderr) => {
        if (!error) done({ ok: true, yaml: stdout });
        else if ((error as NodeJS.ErrnoException).code === 'ENOENT') done({ ok: false, error: 'folder is a Helm chart but helm is not installed, so it cannot be rendered (install helm, or render it yourself and pipe it in: helm template DIR | kspect scan -)' });
        else if (error.killed) done({ ok: false, error: `helm template did not finish within ${timeoutMs / 1000} s; not rendered` });
        else done({ ok: false, error: `helm template failed: ${helmError(stderr) || error.message.split('\n')[0] || 'unknown error'}` });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

export interface RenderedTemplate {
  /** The template's path inside the chart folder (`templates/deployment.yaml`), or undefined before the first marker. */
  readonly template: string | undefined;
  readonly text: string;
}

const SOURCE = '# Source: ';

/**
 * Split helm's output at its `# Source: CHART/PATH` comments: one piece per rendered template document, named by the
 * path inside the chart folder (the chart name, the first segment, is dropped; subcharts keep `charts/NAME/…`).
 */
export function splitRendered(yaml: string): RenderedTemplate[] {
  const out: RenderedTemplate[] = [];
  let template: string | undefined;
  let lines: string[] = [];
  // Lines of each template already rendered: a template's second document starts after its first and a `---` line,
  // so it is padded with that many empty lines to keep the template's line numbers.
  const used = new Map<string | undefined, number>();
  const flush = (): void => {
    const text = lines.join('\n');
    if (text.trim() !== '') {
      const before = used.get(template);
      out.push({ template, text: before === undefined ? text : '\n'.repeat(before) + text });
      used.set(template, (before ?? 0) + lines.length + 1);
    }
    lines = [];
  };
  for (const line of yaml.split('\n')) {
    // Helm separates its documents with `---` lines, each followed by a marker: the pieces need no separator.
    if (line === '---') continue;
    if (line.startsWith(SOURCE)) {
      flush();
      const path = line.slice(SOURCE.length).trim();
      const slash = path.indexOf('/');
      template = slash < 0 ? path : path.slice(slash + 1);
      // Not kept: line n of a piece is line n of the rendered template.
      continue;
    }
    lines.push(line);
  }
  flush();
  return out;
}
