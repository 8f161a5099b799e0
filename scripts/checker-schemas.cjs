'use strict';
// Writes the JSON schemas kubeconform -strict reads, offline, into a folder (scripts/checkers.sh makes a fresh one):
//   <out>/<kind>-<group>-<version>.json   every core kind of Kubernetes 1.33, from PyPI's kubernetes-validate
//                                          (its "local-strict" schemas: additionalProperties false everywhere),
//                                          made standalone: the definitions each kind reaches are embedded
//   <out>/<group>/<kind>_<version>.json    every version of every CRD in the CRD folder (../shared/crds), closed
//                                          against unknown fields as the API server's strict field validation is
//                                          (the rule of lib/schema-validation.ts: an object that declares its
//                                          properties and does not preserve unknown fields admits no other)
// Nothing is copied into the project; the output is generated each run from the two sources.
// Usage: node scripts/checker-schemas.cjs <kubernetes-validate local-strict folder> <crd folder> <out folder>
// Exit 2, one line, when a source cannot be read.
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

function fail(message) {
  process.stderr.write(`checker-schemas: ${message}\n`);
  process.exit(2);
}

const [coreDir, crdDir, outDir] = process.argv.slice(2);
if (!coreDir || !crdDir || !outDir) fail('usage: node scripts/checker-schemas.cjs <core schema folder> <crd folder> <out folder>');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`${file}: cannot be read as JSON: ${error.message.split('\n')[0]}`);
  }
}

// Core kinds: embed the definitions a kind reaches and point its references at them.
// A kind's file refers to `/api/_definitions.json#/$defs/<name>`; the definitions refer to each other as `#/$defs/<name>`.
const DEFS_PREFIXES = ['/api/_definitions.json#/$defs/', '#/$defs/'];
const definitionName = (ref) => {
  const prefix = typeof ref === 'string' ? DEFS_PREFIXES.find((p) => ref.startsWith(p)) : undefined;
  return prefix === undefined ? undefined : ref.slice(prefix.length);
};
const definitions = readJson(path.join(coreDir, '_definitions.json')).$defs;
if (!definitions) fail(`${coreDir}/_definitions.json: no $defs`);

function refsOf(node, found) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && definitionName(value) !== undefined) found.add(definitionName(value));
      else refsOf(value, found);
    }
  }
  return found;
}

function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!node || typeof node !== 'object') return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = key === '$ref' && definitionName(value) !== undefined ? `#/$defs/${definitionName(value)}` : rewrite(value);
  }
  return copy;
}

fs.mkdirSync(outDir, { recursive: true });
let core = 0;
for (const file of fs.readdirSync(coreDir).sort()) {
  if (!file.endsWith('.json') || file.startsWith('_') || file === 'all.json') continue;
  const schema = readJson(path.join(coreDir, file));
  if (!schema['x-kubernetes-group-version-kind']) continue;
  const reached = new Set();
  const queue = [...refsOf(schema, new Set())];
  while (queue.length > 0) {
    const name = queue.pop();
    if (reached.has(name)) continue;
    if (!definitions[name]) fail(`${file}: refers to ${name}, which _definitions.json lacks`);
    reached.add(name);
    queue.push(...refsOf(definitions[name], new Set()));
  }
  const { $id: _id, ...rest } = schema;
  const standalone = rewrite(rest);
  standalone.$defs = Object.fromEntries([...reached].sort().map((name) => [name, rewrite(definitions[name])]));
  fs.writeFileSync(path.join(outDir, file), JSON.stringify(standalone));
  core++;
}

// CRDs: each served version, closed.
function closeObjects(node) {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    if (node.type === 'object' && node.properties && node.additionalProperties === undefined
      && !node['x-kubernetes-preserve-unknown-fields']) node.additionalProperties = false;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' || key === 'patternProperties') Object.values(value).forEach(closeObjects);
      else if (value && typeof value === 'object') closeObjects(value);
    }
  }
  return node;
}

let crds = 0;
for (const file of fs.readdirSync(crdDir).sort()) {
  if (!/\.ya?ml$/.test(file)) continue;
  let docs;
  try {
    docs = YAML.parseAllDocuments(fs.readFileSync(path.join(crdDir, file), 'utf8')).map((d) => d.toJS());
  } catch (error) {
    fail(`${crdDir}/${file}: cannot be read as YAML: ${error.message.split('\n')[0]}`);
  }
  for (const crd of docs) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec ?? {};
    for (const version of versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      const closed = closeObjects(structuredClone(schema));
      closed.properties = {
        ...closed.properties,
        apiVersion: { type: 'string', enum: [`${group}/${version.name}`] },
        kind: { type: 'string', enum: [names.kind] },
        metadata: { type: 'object' },
      };
      fs.mkdirSync(path.join(outDir, group), { recursive: true });
      fs.writeFileSync(path.join(outDir, group, `${names.kind.toLowerCase()}_${version.name}.json`), JSON.stringify(closed));
      crds++;
    }
  }
}
if (crds === 0) fail(`${crdDir}: no CustomResourceDefinition found`);
process.stdout.write(`checker-schemas: ${core} core kinds (Kubernetes 1.33), ${crds} CRD versions -> ${outDir}\n`);
