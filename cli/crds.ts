import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CrdCatalog } from '../lib/schema-validation';

/** A problem with the input files themselves; reported as one line, exit 2. */
export class InputError extends Error {}

/** Catalogs already built, by folder and file stamps: compiling the Kafka schema takes most of a second. */
const cache = new Map<string, CrdCatalog>();

/**
 * Reads every `.yaml`, `.yml` and `.json` file below `dir` (for example
 * `../shared/crds`, or `kubectl get crd -o yaml > crds/live.yaml` from a
 * cluster) and builds the catalog of the CustomResourceDefinitions in them.
 */
export function loadCrdCatalog(dir: string): CrdCatalog {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    throw new InputError(`cannot read the CRD folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const files = entries.filter((e) => /\.(ya?ml|json)$/.test(e)).sort().map((e) => path.join(dir, e));
  const stamp = [path.resolve(dir), ...files.map((f) => {
    const stat = fs.statSync(f);
    return `${f}:${stat.size}:${stat.mtimeMs}`;
  })].join('\n');
  const cached = cache.get(stamp);
  if (cached) return cached;
  const documents: unknown[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new InputError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      documents.push(doc.toJS());
    }
  }
  const catalog = new CrdCatalog(documents);
  if (catalog.kinds.length === 0) throw new InputError(`no CustomResourceDefinition with a schema found in ${dir}`);
  cache.set(stamp, catalog);
  return catalog;
}
