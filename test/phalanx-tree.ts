import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';

/** Phalanx reference files beside the project (../shared/reference/phalanx), never copied into it. */
export const PHALANX_REFERENCE = path.resolve(__dirname, '../../shared/reference/phalanx');

/** Phalanx's sasquatch chart as it is at the reference commit. */
export const SASQUATCH_CHART = path.join(PHALANX_REFERENCE, 'sasquatch-chart');

/**
 * Every scratch checkout of this test file: removed when the file's tests end, also when one failed before its own
 * remove(). Outside jest (npm run bench uses scratchPhalanx too) there is no afterAll: the caller removes it.
 */
const created: string[] = [];
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const root of created.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });
}

/**
 * A scratch Phalanx checkout holding a copy of the sasquatch chart at
 * applications/sasquatch; with `dropRemote`, Chart.yaml loses the dependencies
 * that name a `repository` (influxdb, chronograf, trickster, redis: they cannot
 * be fetched here, and all are disabled in the prompt-processing environments).
 */
export function scratchPhalanx(dropRemote = false): { root: string; sasquatch: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phalanx-'));
  created.push(root);
  const sasquatch = path.join(root, 'applications', 'sasquatch');
  fs.cpSync(SASQUATCH_CHART, sasquatch, { recursive: true });
  for (const entry of fs.readdirSync(sasquatch, { recursive: true, withFileTypes: true })) {
    fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(sasquatch, 0o755);
  if (dropRemote) {
    const chart = path.join(sasquatch, 'Chart.yaml');
    const doc = parseDocument(fs.readFileSync(chart, 'utf8'));
    const dependencies = doc.get('dependencies');
    if (!isSeq(dependencies)) throw new Error('Chart.yaml has no dependencies');
    dependencies.items = dependencies.items.filter((item) => !(isMap(item) && item.has('repository')));
    fs.writeFileSync(chart, doc.toString());
  }
  return { root, sasquatch, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Every file under `dir` (relative path -> text). */
export function filesUnder(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return [path.relative(dir, full), fs.readFileSync(full, 'utf8')] as [string, string];
    })
    .sort(([a], [b]) => a.localeCompare(b)));
}
