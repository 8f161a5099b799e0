import Ajv, { _, Options, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone';
import { version as AJV_VERSION } from 'ajv/package.json';
import { version as AJV_FORMATS_VERSION } from 'ajv-formats/package.json';
import { createRequire } from 'node:module';
import { unknownCoreFields } from './core-fields';
import { cacheKey, readCacheEntry, writeCacheEntry } from './disk-cache';

/** One thing wrong with one object. */
export interface Finding {
  readonly severity: 'error' | 'warning';
  /** The object, as `Kind/name`. */
  readonly object: string;
  /** JSON path inside the object, e.g. `/spec/kafka/listeners/0/port`; `/` for the whole object. */
  readonly path: string;
  readonly message: string;
}

type JsonSchema = Record<string, any>;

interface CrdVersion {
  readonly schema: JsonSchema;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
}

/** Compiled validators by schema text, shared by every catalog of the process: the same CRD compiles once. */
const compiledBySchema = new Map<string, ValidateFunction>();
let sharedAjv: Ajv | undefined;

/**
 * The custom resource schemas of a set of CRDs, compiled lazily (the Strimzi
 * Kafka schema alone takes most of a second). Closed: a field the schema does
 * not declare is an error, as under the API server's strict field validation,
 * unless the schema preserves unknown fields there.
 */
export class CrdCatalog {
  private readonly versions = new Map<string, CrdVersion>();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Reads CustomResourceDefinitions out of parsed YAML documents; other documents are ignored. */
  constructor(documents: readonly unknown[]) {
    for (const doc of documents.flatMap(unwrapList)) {
      if (!isCrd(doc)) continue;
      for (const version of doc.spec.versions ?? []) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        this.versions.set(`${doc.spec.group}/${version.name}/${doc.spec.names.kind}`, {
          schema,
          deprecated: version.deprecated === true,
          deprecationWarning: version.deprecationWarning,
        });
      }
    }
  }

  /** `group/version/Kind` of every custom resource version known. */
  public get kinds(): string[] {
    return [...this.versions.keys()].sort();
  }

  /** Findings for one custom resource; undefined when the catalog does not know its kind. */
  public validate(object: Record<string, any>): Finding[] | undefined {
    const key = `${object.apiVersion}/${object.kind}`;
    const version = this.versions.get(key);
    if (!version) return undefined;
    let validator = this.compiled.get(key);
    if (!validator) {
      const text = JSON.stringify(version.schema);
      validator = compiledBySchema.get(text);
      if (!validator) {
        validator = compileSchema(rootSchema(version.schema));
        compiledBySchema.set(text, validator);
      }
      this.compiled.set(key, validator);
    }
    const name = describe(object);
    const findings: Finding[] = [];
    if (version.deprecated) {
      findings.push({ severity: 'warning', object: name, path: '/apiVersion',
        message: version.deprecationWarning ?? `${object.apiVersion} ${object.kind} is deprecated` });
    }
    if (!validator(object)) {
      for (const error of validator.errors ?? []) {
        findings.push({ severity: 'error', object: name, path: error.instancePath || '/', message: ajvMessage(error) });
      }
    }
    return findings;
  }
}

/**
 * Findings for a core Kubernetes object (kubernetes-models, Kubernetes 1.33 schemas, and every field the
 * Kubernetes 1.34 OpenAPI schema does not declare); undefined for unknown kinds.
 */
export function validateCoreObject(object: Record<string, any>): Finding[] | undefined {
  const Model = coreModel(object.apiVersion, object.kind);
  if (!Model) return undefined;
  // Fields the schema does not declare: kubernetes-models' validators allow them, the API server's strict
  // field validation (and kubeconform -strict) does not.
  const unknown = unknownCoreFields(object, describe(object)) ?? [];
  try {
    new Model(object).validate();
    return unknown;
  } catch (error) {
    const errors: any[] = (error as any).errors ?? [{ instancePath: '', message: (error as Error).message }];
    return [...errors.map((e) => ({ severity: 'error' as const, object: describe(object), path: e.instancePath || '/', message: ajvMessage(e) })), ...unknown];
  }
}

/**
 * Every finding for a list of objects: custom resources against the catalog,
 * core objects against the Kubernetes schemas, anything else reported unknown.
 */
export function validateObjects(objects: readonly Record<string, any>[], catalog: CrdCatalog): Finding[] {
  return objects.flatMap((object) => {
    if (!object || typeof object !== 'object' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      return [{ severity: 'error' as const, object: describe(object ?? {}), path: '/', message: 'not a Kubernetes object: apiVersion and kind are required' }];
    }
    return catalog.validate(object) ?? validateCoreObject(object) ?? [{
      severity: 'error' as const,
      object: describe(object),
      path: '/apiVersion',
      message: `unknown kind ${object.apiVersion} ${object.kind}: no CRD for it was loaded and it is not a core Kubernetes kind`,
    }];
  });
}

/** `Kind/name` of an object, for messages. */
export function describe(object: Record<string, any>): string {
  return `${object.kind ?? '<no kind>'}/${object.metadata?.name ?? '<no name>'}`;
}

function unwrapList(doc: unknown): unknown[] {
  const d = doc as any;
  return d && d.kind === 'List' && Array.isArray(d.items) ? d.items : [doc];
}

function isCrd(doc: unknown): doc is { spec: { group: string; names: { kind: string }; versions?: any[] } } {
  const d = doc as any;
  return d?.kind === 'CustomResourceDefinition' && typeof d?.spec?.group === 'string' && typeof d?.spec?.names?.kind === 'string';
}

const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  // The code of a compiled schema, for the disk cache; it reads the formats ajv-formats adds.
  code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
};

/**
 * ajv's validator of `schema`. Compiling the Strimzi Kafka schema takes most of a second in every process that
 * validates, so the code ajv generates for it (its standalone module: the same code it compiles and runs itself)
 * is kept in the disk cache (lib/disk-cache.ts), named by the schema, ajv's and ajv-formats' versions and the
 * options; the next process loads that code instead of compiling again.
 */
function compileSchema(schema: JsonSchema): ValidateFunction {
  const name = `${cacheKey('validator-v1', AJV_VERSION, AJV_FORMATS_VERSION, JSON.stringify(AJV_OPTIONS), JSON.stringify(schema))}.js`;
  const cached = readCacheEntry('ajv', name);
  if (cached !== undefined) {
    try {
      return loadValidator(cached);
    } catch {
      // A damaged entry: compile again and replace it.
    }
  }
  if (!sharedAjv) {
    sharedAjv = new Ajv(AJV_OPTIONS);
    addFormats(sharedAjv);
  }
  const validator = sharedAjv.compile(schema);
  writeCacheEntry('ajv', name, standaloneCode(sharedAjv, validator));
  return validator;
}

/** A validator from ajv's standalone code (CommonJS, requiring ajv's runtime helpers and ajv-formats). */
export function loadValidator(code: string): ValidateFunction {
  const module: { exports: any } = { exports: {} };
  new Function('require', 'module', 'exports', code)(createRequire(__filename), module, module.exports);
  const validator = module.exports.default ?? module.exports;
  if (typeof validator !== 'function') throw new Error('not a validator');
  return validator as ValidateFunction;
}

/** The CRD schema, closed against unknown fields, with the fields every object may have at its root. */
function rootSchema(schema: JsonSchema): JsonSchema {
  const closed = closeObjects(structuredClone(schema));
  closed.properties = {
    ...closed.properties,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
  };
  return closed;
}

/**
 * CRD schemas never say `additionalProperties: false`; the API server prunes
 * or rejects undeclared fields itself. Close every object that declares its
 * properties and does not preserve unknown fields.
 */
function closeObjects(node: any): any {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
  } else if (node && typeof node === 'object') {
    if (node.type === 'object' && node.properties && node.additionalProperties === undefined
      && !node['x-kubernetes-preserve-unknown-fields']) {
      node.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' || key === 'patternProperties') Object.values(value as object).forEach(closeObjects);
      else if (value && typeof value === 'object') closeObjects(value);
    }
  }
  return node;
}

function ajvMessage(error: { keyword?: string; message?: string; params?: Record<string, any> }): string {
  if (error.keyword === 'additionalProperties') return `unknown field '${error.params?.additionalProperty}'`;
  if (error.keyword === 'enum') return `${error.message}: ${(error.params?.allowedValues ?? []).join(', ')}`;
  return error.message ?? 'invalid';
}

type Model = new (data: any) => { validate(): void };

/**
 * The kubernetes-models class of a core kind, e.g. `kubernetes-models/apps/v1`
 * → `Deployment`. Each API group is loaded on first use: loading them all
 * takes a fifth of a second.
 */
function coreModel(apiVersion: string, kind: string): Model | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const models = require(`kubernetes-models/${apiVersion}`) as Record<string, Model>;
    return Object.prototype.hasOwnProperty.call(models, kind) ? models[kind] : undefined;
  } catch {
    return undefined;
  }
}
