import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from './schema-validation';

/**
 * Unknown fields of core Kubernetes objects, found offline as the API server's strict field validation
 * (and `kubeconform -strict`) finds them. The field lists are the Kubernetes OpenAPI schema as
 * @kubernetes/client-node generates its models from it (`dist/gen/models/<Model>.js`, one
 * `attributeTypeMap` each: name, JSON name and type of every field). Each model file is read as text,
 * on first use: the package is an ES module that `npm test` cannot load, and most runs need a few models
 * only. test/cluster/core-fields.test.ts holds every model read here equal to the library's own class.
 */

/** One field of a model, as the generator writes it. */
export interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

let folder: string | null | undefined;
const models = new Map<string, readonly Attribute[] | undefined>();

/** The folder of the client's generated models; null when the package is not installed. */
function modelsFolder(): string | null {
  if (folder === undefined) {
    try {
      folder = path.join(path.dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
    } catch {
      folder = null;
    }
  }
  return folder;
}

/** The fields of one model, or undefined when there is no such model. */
export function modelAttributes(model: string): readonly Attribute[] | undefined {
  if (models.has(model)) return models.get(model);
  let attributes: readonly Attribute[] | undefined;
  const dir = modelsFolder();
  if (dir && /^[A-Za-z0-9]+$/.test(model)) {
    try {
      const text = fs.readFileSync(path.join(dir, `${model}.js`), 'utf8');
      const list = new RegExp(`${model}\\.attributeTypeMap = (\\[[\\s\\S]*?\\n\\]);`).exec(text)?.[1];
      attributes = list === undefined ? undefined : JSON.parse(list);
    } catch {
      attributes = undefined;
    }
  }
  models.set(model, attributes);
  return attributes;
}

/**
 * The model of an object's apiVersion and kind: `<Group><Version><Kind>` where the generator had to tell
 * groups apart (`CoreV1Event`, `EventsV1Event`), else `<Version><Kind>` (`V1Deployment`).
 */
export function modelOf(apiVersion: string, kind: string): string | undefined {
  const m = /^(?:([a-z0-9-]+)(?:\.[a-z0-9.-]+)?\/)?(v\d+(?:(?:alpha|beta)\d+)?)$/.exec(apiVersion);
  if (!m || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const version = m[2][0].toUpperCase() + m[2].slice(1);
  const group = (m[1] ?? 'core').replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  for (const model of [`${group}${version}${kind}`, `${version}${kind}`]) {
    if (modelAttributes(model)?.some((a) => a.baseName === 'kind')) return model;
  }
  return undefined;
}

const PRIMITIVE = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString', 'RawExtension']);
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Findings for every field of `value` that `type` does not declare, at any depth. */
function walk(value: unknown, type: string, pointer: string, out: Array<{ path: string; field: string }>): void {
  if (value === null || value === undefined || PRIMITIVE.has(type)) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, array[1], `${pointer}/${i}`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (isMapping(value)) for (const [k, v] of Object.entries(value)) walk(v, map[1], `${pointer}/${escape(k)}`, out);
    return;
  }
  const attributes = modelAttributes(type);
  if (!attributes || !isMapping(value)) return; // an unknown type, or a wrong shape the schema check reports
  const byName = new Map(attributes.map((a) => [a.baseName, a]));
  for (const [key, v] of Object.entries(value)) {
    const attribute = byName.get(key);
    if (!attribute) out.push({ path: pointer || '/', field: key });
    else walk(v, attribute.type, `${pointer}/${escape(key)}`, out);
  }
}

/**
 * Errors for the fields of a core object that its Kubernetes schema does not declare (the API server
 * refuses them under `fieldValidation=Strict`, and prunes them otherwise); undefined when no model is
 * known for its apiVersion and kind.
 */
export function unknownCoreFields(object: Record<string, any>, name: string): Finding[] | undefined {
  const model = typeof object.apiVersion === 'string' && typeof object.kind === 'string' ? modelOf(object.apiVersion, object.kind) : undefined;
  if (!model) return undefined;
  const found: Array<{ path: string; field: string }> = [];
  walk(object, model, '', found);
  return found.map((f) => ({ severity: 'error', object: name, path: f.path, message: `unknown field '${f.field}'` }));
}
