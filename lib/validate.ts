import { parseAllDocuments } from 'yaml';
import { checkManifests } from '../constructs/rules';
import type { Environment } from '../environments/environment';
import { CrdCatalog, describe, Finding, validateObjects } from './schema-validation';

/** A manifest file: where it is, and its text. */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/** A finding, with the file it was found in. */
export interface FileFinding extends Finding {
  readonly file: string;
}

/** An object read from a manifest file. */
export interface LocatedObject {
  readonly file: string;
  readonly object: Record<string, any>;
}

/** Parses every document of every file; YAML errors become findings instead of exceptions. */
export function parseManifests(files: readonly ManifestFile[]): { objects: LocatedObject[]; findings: FileFinding[] } {
  const objects: LocatedObject[] = [];
  const findings: FileFinding[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(file.text)) {
      const error = doc.errors[0];
      if (error) {
        const line = error.linePos?.[0]?.line;
        findings.push({ severity: 'error', file: file.path, object: '(YAML)', path: line ? `line ${line}` : '/', message: `not valid YAML: ${error.message.split('\n')[0]}` });
        continue;
      }
      const object = doc.toJS();
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || Array.isArray(object)) {
        findings.push({ severity: 'error', file: file.path, object: '(YAML)', path: '/', message: 'a document is not a Kubernetes object (a mapping with apiVersion and kind)' });
        continue;
      }
      objects.push({ file: file.path, object });
    }
  }
  return { objects, findings };
}

/**
 * Every finding for one environment's manifest files: YAML, the schemas (CRDs
 * from the catalog, core kinds from kubernetes-models), and the rules that
 * span objects (references resolve, ingress routes unique).
 */
export function validateManifests(env: Environment, files: readonly ManifestFile[], catalog: CrdCatalog): FileFinding[] {
  const { objects, findings } = parseManifests(files);
  for (const { file, object } of objects) {
    for (const f of validateObjects([object], catalog)) findings.push({ ...f, file });
  }
  const fileOf = new Map(objects.map(({ file, object }) => [describe(object), file]));
  for (const problem of checkManifests(env, objects.filter(({ object }) => typeof object.kind === 'string').map(({ object }) => object))) {
    findings.push({
      severity: 'error',
      file: fileOf.get(problem.resource) ?? '-',
      object: problem.resource,
      path: problem.field,
      message: problem.message,
    });
  }
  return findings;
}
