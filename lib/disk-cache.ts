import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A per-user cache of work that is slow to redo and a pure function of its input: the JSON of YAML files parsed
 * (the CRDs: seconds with the `yaml` package, milliseconds as JSON) and the code ajv generates for a schema. Each
 * entry is named by the SHA-256 of exactly what it was built from (the input, the library's version and the
 * options), so a changed input or library can never read an old entry. In
 * `${ALERT_STREAM_CACHE:-${XDG_CACHE_HOME:-~/.cache}/alert-stream-deploy}/<kind>`, beside the tools cache, and never
 * in a shared temporary folder (another user could place an entry there). A cache that cannot be read or written
 * is only slower: nothing fails because of it.
 */
export function cacheFolder(kind: string): string {
  const base = process.env.ALERT_STREAM_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'alert-stream-deploy');
  return path.join(base, kind);
}

/** The SHA-256 (hex) of the parts, each followed by a NUL so that no two lists of parts run together alike. */
export function cacheKey(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** The entry's text, or undefined when there is none (or it cannot be read). */
export function readCacheEntry(kind: string, name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(cacheFolder(kind), name), 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes the entry whole or not at all (a temporary file renamed into place), so a reader never sees half of one. */
export function writeCacheEntry(kind: string, name: string, text: string): void {
  const folder = cacheFolder(kind);
  const temporary = path.join(folder, `.${name}.${process.pid}.${Math.random().toString(16).slice(2)}`);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, text, { mode: 0o600 });
    fs.renameSync(temporary, path.join(folder, name));
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}
