import { checkManifests } from '../constructs/rules';
import type { Environment } from '../constructs/alert-stream-props';
import type { FileFinding, ManifestFile } from './manifests';
import { parseManifests } from './manifests';
import { CrdCatalog, describe, validateObjects } from './schema-validation';

export { parseManifests } from './manifests';
export type { FileFinding, LocatedObject, ManifestFile } from './manifests';

/**
 * Every finding for one environment's manifest files: YAML, the schemas (CRDs
 * from the catalog, core kinds from kubernetes-models), and the rules that
 * span objects (references resolve, ingress routes unique).
 */
export function validateManifests(env: Environment, files: readonly ManifestFile[], catalog: CrdCatalog): FileFinding[] {
  const { objects, findings } = parseManifests(files);
  const valid: Record<string, any>[] = [];
  for (const { file, object } of objects) {
    const found = validateObjects([object], catalog);
    for (const f of found) findings.push({ ...f, file });
    // The rules that span objects read fields the schemas guarantee: they see only objects that passed them.
    if (!found.some((f) => f.severity === 'error')) valid.push(object);
  }
  const fileOf = new Map(objects.map(({ file, object }) => [describe(object), file]));
  for (const problem of checkManifests(env, valid)) {
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
