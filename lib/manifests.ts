import { parseAllDocuments } from 'yaml';
import { printable } from './printable';
import type { Finding } from './schema-validation';

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

/** Aliases a manifest may use; far more than any real manifest has, far fewer than an alias bomb expands to. */
export const MAX_ALIASES = 100;

/**
 * Parses every document of every file; YAML errors, alias bombs and documents that are not Kubernetes
 * objects (no apiVersion, kind or metadata.name) become findings, naming the document, instead of exceptions.
 */
export function parseManifests(files: readonly ManifestFile[]): { objects: LocatedObject[]; findings: FileFinding[] } {
  const objects: LocatedObject[] = [];
  const findings: FileFinding[] = [];
  for (const file of files) {
    parseAllDocuments(file.text).forEach((doc, index) => {
      const document = documentLabel(doc, index);
      const finding = (path: string, message: string) => findings.push({ severity: 'error', file: file.path, object: document, path, message });
      const error = doc.errors[0];
      if (error) {
        const line = error.linePos?.[0]?.line;
        finding(line ? `line ${line}` : '/', `not valid YAML: ${error.message.split('\n')[0]}`);
        return;
      }
      let object: unknown;
      try {
        object = doc.toJS({ maxAliasCount: MAX_ALIASES });
      } catch (e) {
        finding('/', `cannot be read: ${(e as Error).message.split('\n')[0]} (an alias bomb?)`);
        return;
      }
      if (object === null || object === undefined) return;
      const problem = notAnObject(object);
      if (problem) {
        finding('/', `not a Kubernetes object: ${problem}`);
        return;
      }
      objects.push({ file: file.path, object: object as Record<string, any> });
    });
  }
  return { objects, findings };
}

/**
 * How a finding names a document: `Kind/name` when the document has both (even when it is not otherwise a
 * valid object, or not valid YAML), else `(document N)`, with the kind when it has one.
 */
function documentLabel(doc: { get: (key: unknown) => unknown; getIn: (path: unknown[]) => unknown }, index: number): string {
  let kind: unknown;
  let name: unknown;
  try {
    kind = doc.get('kind');
    name = doc.getIn(['metadata', 'name']);
  } catch {
    // a document whose root is not a mapping has neither
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? printable(v, 100) : undefined);
  const [k, n] = [text(kind), text(name)];
  if (k && n) return `${k}/${n}`;
  return k ? `${k}/<no name> (document ${index + 1})` : `(document ${index + 1})`;
}

/** Why a parsed document is not a Kubernetes object, or undefined when it is one. */
function notAnObject(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a document must be a mapping with apiVersion, kind and metadata';
  const o = value as Record<string, any>;
  const missing = [
    typeof o.apiVersion === 'string' && o.apiVersion ? undefined : 'apiVersion',
    typeof o.kind === 'string' && o.kind ? undefined : 'kind',
    typeof o.metadata?.name === 'string' && o.metadata.name ? undefined : 'metadata.name',
  ].filter((m) => m !== undefined);
  return missing.length > 0 ? `${missing.join(', ')} missing or not a string` : undefined;
}
