#!/usr/bin/env node
/**
 * Rebuilds (or, with --check, verifies) data/frameworks/mitre-attack-containers.json from MITRE's own STIX data:
 * a checkout of github.com/mitre/cti (its enterprise-attack/attack-pattern folder). The table is every technique and
 * sub-technique whose x_mitre_platforms lists "Containers", not revoked or deprecated, with its tactics in the
 * Enterprise matrix's order; a sub-technique's title is "Parent: Name", as ATT&CK shows it.
 *
 *   node scripts/attack-containers.js /path/to/cti            # print the controls as JSON
 *   node scripts/attack-containers.js /path/to/cti --check    # exit 1 when the pinned table differs
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TACTICS = ['initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'exfiltration', 'command-and-control', 'impact'];
const tacticTitle = (p) => p.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

const [cti, flag] = process.argv.slice(2);
if (!cti) {
  process.stderr.write('usage: node scripts/attack-containers.js CTI_CHECKOUT [--check]\n');
  process.exit(2);
}
const dir = join(cti, 'enterprise-attack', 'attack-pattern');
const byId = new Map();
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.json')) continue;
  for (const o of JSON.parse(readFileSync(join(dir, name), 'utf8')).objects ?? []) {
    if (o.type !== 'attack-pattern' || o.revoked === true || o.x_mitre_deprecated === true) continue;
    const id = (o.external_references ?? []).find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (id) byId.set(id, o);
  }
}
const controls = [];
for (const [id, o] of byId) {
  if (!(o.x_mitre_platforms ?? []).includes('Containers')) continue;
  const parent = id.includes('.') ? byId.get(id.split('.')[0]) : undefined;
  const tactics = [...new Set((o.kill_chain_phases ?? []).filter((p) => p.kill_chain_name === 'mitre-attack').map((p) => p.phase_name))].sort((a, b) => TACTICS.indexOf(a) - TACTICS.indexOf(b));
  controls.push({ id, title: parent ? `${parent.name}: ${o.name}` : o.name, section: tacticTitle(tactics[0]), tactics: tactics.map(tacticTitle), automated: true });
}
controls.sort((a, b) => TACTICS.indexOf(a.section.toLowerCase().replaceAll(' ', '-')) - TACTICS.indexOf(b.section.toLowerCase().replaceAll(' ', '-')) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
if (flag !== '--check') {
  process.stdout.write(`${JSON.stringify(controls, null, 2)}\n`);
  process.exit(0);
}
const pinned = JSON.parse(readFileSync(new URL('../data/frameworks/mitre-attack-containers.json', import.meta.url), 'utf8')).controls;
const key = (c) => JSON.stringify([c.id, c.title, c.section, c.tactics]);
const want = new Set(controls.map(key));
const have = new Set(pinned.map(key));
const missing = [...want].filter((k) => !have.has(k));
const extra = [...have].filter((k) => !want.has(k));
for (const k of missing) process.stdout.write(`missing from the pinned table: ${k}\n`);
for (const k of extra) process.stdout.write(`in the pinned table, not in ATT&CK: ${k}\n`);
process.stdout.write(`${controls.length} Containers techniques in ${cti}; pinned table ${missing.length + extra.length === 0 ? 'agrees' : 'differs'}\n`);
process.exit(missing.length + extra.length === 0 ? 0 : 1);
