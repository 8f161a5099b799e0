import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { version as YAML_VERSION } from 'yaml/package.json';
import { cacheKey, readCacheEntry, writeCacheEntry } from './disk-cache';
import { MAX_ALIASES } from './manifests';

/** Why a file's documents could not be read: `message` names the problem, without the file. */
export class DocumentsError extends Error {}

/** Every document of a YAML (or JSON) text as plain data; a document that does not parse throws DocumentsError. */
function parseDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new DocumentsError(`is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    try {
      return doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      throw new DocumentsError(`cannot be read: ${(error as Error).message.split('\n')[0]}`);
    }
  });
}

/**
 * `parseDocuments` of the text, through the disk cache (lib/disk-cache.ts) keyed by the text and the `yaml`
 * version: a CRD folder parsed once is read back as JSON. Only a parse that JSON holds exactly is kept; a text
 * that fails to parse is parsed (and refused) every time.
 */
export function parsedDocuments(text: string): unknown[] {
  const name = `${cacheKey('documents-v1', YAML_VERSION, String(MAX_ALIASES), text)}.json`;
  const cached = readCacheEntry('parsed-yaml', name);
  if (cached !== undefined) {
    try {
      return JSON.parse(cached) as unknown[];
    } catch {
      // A damaged entry: parse again and replace it.
    }
  }
  const documents = parseDocuments(text);
  let json: string | undefined;
  try {
    json = JSON.stringify(documents);
  } catch {
    json = undefined; // an alias that holds itself: a circular value, which JSON cannot hold
  }
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), documents)) writeCacheEntry('parsed-yaml', name, json);
  return documents;
}
