import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheKey } from '../lib/disk-cache';
import { DocumentsError, parsedDocuments } from '../lib/parsed-documents';
import { CrdCatalog } from '../lib/schema-validation';

/** A problem with the input files themselves; reported as one line, exit 2. */
export class InputError extends Error {}

/** Catalogs already built in this process, by the SHA-256 of exactly the files read: compiling the Kafka schema takes most of a second. */
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
  const files = entries.filter((e) => /\.(ya?ml|json)$/.test(e)).sort().map((e) => path.join(dir, e))
    .filter((f) => fs.statSync(f).isFile());
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const key = cacheKey(...files.flatMap((f, i) => [f, texts[i]]));
  const cached = cache.get(key);
  if (cached) return cached;
  const documents: unknown[] = [];
  files.forEach((file, i) => {
    try {
      documents.push(...parsedDocuments(texts[i]));
    } catch (error) {
      if (error instanceof DocumentsError) throw new InputError(`${file} ${error.message}`);
      throw error;
    }
  });
  const catalog = new CrdCatalog(documents);
  if (catalog.kinds.length === 0) throw new InputError(`no CustomResourceDefinition with a schema found in ${dir}`);
  cache.set(key, catalog);
  return catalog;
}
