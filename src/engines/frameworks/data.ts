/**
 * The shape of the framework data shipped in data/frameworks/ (CIS Kubernetes Benchmark v1.12, NSA-CISA Hardening
 * Guide v1.2, the pinned MITRE ATT&CK Containers table, Pod Security Standards, and the check → control mappings),
 * and its validation: the files enter as `unknown` and leave as frozen, typed catalogs, or as a list of what is wrong.
 */

export const FRAMEWORK_IDS = ['cis', 'nsa', 'mitre', 'pss'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export function isFrameworkId(v: unknown): v is FrameworkId {
  return typeof v === 'string' && (FRAMEWORK_IDS as readonly string[]).includes(v);
}

export interface FrameworkControl {
  readonly id: string;
  readonly title: string;
  /** The section (CIS `5.1`, NSA chapter, ATT&CK tactic, PSS level) the control is listed under. */
  readonly section: string;
  /** CIS: (Automated) as opposed to (Manual). A manual control without a kspect check is MANUAL, never passed. */
  readonly automated: boolean;
  /** ATT&CK: every tactic the technique serves. */
  readonly tactics?: readonly string[];
}

export interface FrameworkCatalog {
  readonly framework: FrameworkId;
  readonly name: string;
  readonly version: string;
  /** Where the ids and titles come from. */
  readonly source: string;
  readonly sections: readonly { readonly id: string; readonly title: string }[];
  readonly controls: readonly FrameworkControl[];
}

/** Per check id, per framework: the control ids it bears on. */
export type Mappings = Readonly<Record<string, Readonly<Record<FrameworkId, readonly string[]>>>>;

export interface FrameworkData {
  readonly catalogs: Readonly<Record<FrameworkId, FrameworkCatalog>>;
  readonly mappings: Mappings;
}

/** The data files, by framework, and the mappings file name. */
export const FRAMEWORK_FILES: Readonly<Record<FrameworkId, string>> = {
  cis: 'cis-1.12.json',
  nsa: 'nsa-cisa-1.2.json',
  mitre: 'mitre-attack-containers.json',
  pss: 'pss.json',
};
export const MAPPINGS_FILE = 'mappings.json';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string') return undefined;
    out.push(x);
  }
  return out;
}

/** Validate one catalog file's parsed content. */
export function parseCatalog(framework: FrameworkId, raw: unknown, errors: string[]): FrameworkCatalog | undefined {
  const where = FRAMEWORK_FILES[framework];
  if (!isRecord(raw)) {
    errors.push(`${where}: not an object`);
    return undefined;
  }
  if (raw.framework !== framework) errors.push(`${where}: framework must be "${framework}"`);
  const text = (k: string): string => {
    const v = raw[k];
    if (typeof v !== 'string') errors.push(`${where}: ${k} must be a string`);
    return typeof v === 'string' ? v : '';
  };
  const sections: { id: string; title: string }[] = [];
  for (const s of Array.isArray(raw.sections) ? raw.sections : []) {
    if (isRecord(s) && typeof s.id === 'string' && typeof s.title === 'string') sections.push(Object.freeze({ id: s.id, title: s.title }));
    else errors.push(`${where}: a section needs id and title`);
  }
  const controls: FrameworkControl[] = [];
  const seen = new Set<string>();
  for (const c of Array.isArray(raw.controls) ? raw.controls : []) {
    if (!isRecord(c) || typeof c.id !== 'string' || typeof c.title !== 'string' || typeof c.section !== 'string' || typeof c.automated !== 'boolean') {
      errors.push(`${where}: a control needs id, title, section and automated`);
      continue;
    }
    if (seen.has(c.id)) errors.push(`${where}: control ${c.id} listed twice`);
    seen.add(c.id);
    const tactics = strings(c.tactics);
    controls.push(Object.freeze({ id: c.id, title: c.title, section: c.section, automated: c.automated, ...(tactics ? { tactics: Object.freeze([...tactics]) } : {}) }));
  }
  if (controls.length === 0) errors.push(`${where}: no controls`);
  return Object.freeze({ framework, name: text('name'), version: text('version'), source: text('source'), sections: Object.freeze(sections), controls: Object.freeze(controls) });
}

/**
 * Validate the whole data set: every catalog, and every mapping pointing at a control of its catalog. Returns the
 * data and every problem found (an empty list when it is sound).
 */
export function parseFrameworkData(files: Readonly<Record<string, unknown>>): { data: FrameworkData; errors: string[] } {
  const errors: string[] = [];
  const catalogs = {} as Record<FrameworkId, FrameworkCatalog>;
  for (const f of FRAMEWORK_IDS) {
    const c = parseCatalog(f, files[FRAMEWORK_FILES[f]], errors);
    catalogs[f] = c ?? Object.freeze({ framework: f, name: f, version: '', source: '', sections: [], controls: [] });
  }
  const ids = Object.fromEntries(FRAMEWORK_IDS.map((f) => [f, new Set(catalogs[f].controls.map((c) => c.id))])) as Record<FrameworkId, Set<string>>;
  const raw = files[MAPPINGS_FILE];
  const mappings: Record<string, Readonly<Record<FrameworkId, readonly string[]>>> = {};
  const checks = isRecord(raw) && isRecord(raw.checks) ? raw.checks : undefined;
  if (!checks) errors.push(`${MAPPINGS_FILE}: needs a "checks" object`);
  for (const [check, entry] of Object.entries(checks ?? {})) {
    if (!isRecord(entry)) {
      errors.push(`${MAPPINGS_FILE}: ${check} must map frameworks to lists of control ids`);
      continue;
    }
    const out = {} as Record<FrameworkId, readonly string[]>;
    for (const f of FRAMEWORK_IDS) {
      const list = strings(entry[f] ?? []);
      if (!list) {
        errors.push(`${MAPPINGS_FILE}: ${check}.${f} must be a list of strings`);
        out[f] = [];
        continue;
      }
      for (const id of list) if (!ids[f].has(id)) errors.push(`${MAPPINGS_FILE}: ${check}.${f} names ${id}, which is not in ${FRAMEWORK_FILES[f]}`);
      out[f] = Object.freeze(list.filter((id) => ids[f].has(id)));
    }
    for (const k of Object.keys(entry)) if (!isFrameworkId(k)) errors.push(`${MAPPINGS_FILE}: ${check} has unknown framework "${k}"`);
    mappings[check] = Object.freeze(out);
  }
  return { data: Object.freeze({ catalogs: Object.freeze(catalogs), mappings: Object.freeze(mappings) }), errors };
}

/** One framework control a check maps to, with its title (for reporters that name controls beside a rule). */
export interface MappedControl {
  readonly framework: FrameworkId;
  readonly id: string;
  readonly title: string;
}

/** Check id → the controls it maps to, in framework order (cis, nsa, mitre, pss), then in the mapping's order. */
export function controlsByCheck(data: FrameworkData): ReadonlyMap<string, readonly MappedControl[]> {
  const titles = new Map<string, string>();
  for (const f of FRAMEWORK_IDS) for (const c of data.catalogs[f].controls) titles.set(`${f}\u0000${c.id}`, c.title);
  const out = new Map<string, readonly MappedControl[]>();
  for (const [check, entry] of Object.entries(data.mappings)) {
    const list = FRAMEWORK_IDS.flatMap((f) => entry[f].map((id) => Object.freeze({ framework: f, id, title: titles.get(`${f}\u0000${id}`) ?? id })));
    if (list.length > 0) out.set(check, Object.freeze(list));
  }
  return out;
}
