import { MANIFEST_RULES, Problem } from '../constructs/rules';
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
  for (const { file, object } of objects) {
    for (const f of validateObjects([object], catalog)) findings.push({ ...f, file });
  }
  const fileOf = new Map(objects.map(({ file, object }) => [describe(object), file]));
  for (const problem of checkManifestsOf(env, objects.map(({ object }) => object))) {
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

/**
 * The rules that span objects, each over every object read (so one broken object does not make every
 * reference to it look dangling). A rule that cannot read an object the schemas already refused is
 * one finding, never a crash.
 */
function checkManifestsOf(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  return MANIFEST_RULES.flatMap((rule) => {
    try {
      return rule(env, objects);
    } catch (error) {
      return [{ env: env.name, resource: '(manifests)', field: rule.name, message: `could not be checked: an object it reads is malformed (${(error as Error).message}); fix the schema errors above first` }];
    }
  });
}
