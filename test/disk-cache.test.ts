// The disk cache (lib/disk-cache.ts) of parsed CRD files and of ajv's generated validators: an entry is named by
// exactly what it was built from, gives what a fresh parse or compile gives, and a damaged one is replaced.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { cacheFolder } from '../lib/disk-cache';
import { DocumentsError, parsedDocuments } from '../lib/parsed-documents';
import { CrdCatalog } from '../lib/schema-validation';
import { environments } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects, SHARED_CRDS } from './helpers';

let folder: string;
const saved = process.env.ALERT_STREAM_CACHE;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-cache-'));
  process.env.ALERT_STREAM_CACHE = folder;
});
afterEach(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (saved === undefined) delete process.env.ALERT_STREAM_CACHE;
  else process.env.ALERT_STREAM_CACHE = saved;
});
const entries = (kind: string) => (fs.existsSync(cacheFolder(kind)) ? fs.readdirSync(cacheFolder(kind)) : []);
const crdText = (file: string) => fs.readFileSync(path.join(SHARED_CRDS, file), 'utf8');
const crdFiles = () => fs.readdirSync(SHARED_CRDS).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('parsed YAML documents', () => {
  test('the folder honours ALERT_STREAM_CACHE, then XDG_CACHE_HOME', () => {
    expect(cacheFolder('ajv')).toBe(path.join(folder, 'ajv'));
    delete process.env.ALERT_STREAM_CACHE;
    const xdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = '/somewhere';
    try {
      expect(cacheFolder('ajv')).toBe('/somewhere/alert-stream-deploy/ajv');
    } finally {
      if (xdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = xdg;
    }
  });

  test('every CRD file: what the yaml package parses, first parsed and then read back from one entry per text', () => {
    for (const file of crdFiles()) {
      const expected = parseAllDocuments(crdText(file)).map((d) => d.toJS());
      expect({ file, documents: parsedDocuments(crdText(file)) }).toEqual({ file, documents: expected });
      expect({ file, documents: parsedDocuments(crdText(file)) }).toEqual({ file, documents: expected });
    }
    expect(entries('parsed-yaml')).toHaveLength(new Set(crdFiles().map(crdText)).size);
  });

  test('an entry is read, not the text parsed again; another text is another entry', () => {
    parsedDocuments('a: 1\n');
    const [entry] = entries('parsed-yaml');
    fs.writeFileSync(path.join(cacheFolder('parsed-yaml'), entry), '[{"a":"from the cache"}]');
    expect(parsedDocuments('a: 1\n')).toEqual([{ a: 'from the cache' }]);
    expect(parsedDocuments('a: 2\n')).toEqual([{ a: 2 }]);
    expect(entries('parsed-yaml')).toHaveLength(2);
  });

  test('a damaged entry is parsed again and replaced', () => {
    parsedDocuments('a: 1\n');
    const [entry] = entries('parsed-yaml');
    fs.writeFileSync(path.join(cacheFolder('parsed-yaml'), entry), '[{"a": tru');
    expect(parsedDocuments('a: 1\n')).toEqual([{ a: 1 }]);
    expect(JSON.parse(fs.readFileSync(path.join(cacheFolder('parsed-yaml'), entry), 'utf8'))).toEqual([{ a: 1 }]);
  });

  test('a text that does not parse is refused every time and leaves no entry; one JSON cannot hold exactly is not kept', () => {
    for (let i = 0; i < 2; i++) expect(() => parsedDocuments('a: [\n')).toThrow(DocumentsError);
    // An alias that holds itself (circular) and infinity: read, but JSON cannot hold them exactly.
    expect(() => parsedDocuments('a: &x [1, *x]\n')).not.toThrow();
    expect(parsedDocuments('a: .inf\n')).toEqual([{ a: Infinity }]);
    expect(entries('parsed-yaml')).toEqual([]);
  });
});

describe('ajv validators', () => {
  const objects = () => Object.values(environments).flatMap((env) => allObjects(synthesizeEnvironment(env)) as Record<string, any>[]);
  /** Each object, and copies with an unknown field, a wrong type and a missing name in the spec. */
  const variants = (o: Record<string, any>) => [o,
    { ...o, spec: { ...o.spec, unknownField: 1 } },
    { ...o, spec: { ...o.spec, replicas: 'three' } },
    { ...o, metadata: { ...o.metadata, name: 7 } },
    { ...o, spec: 'not an object' }];

  test("the validator loaded from the cached code finds what ajv's own compile finds, for every custom resource of every environment", () => {
    const documents = crdFiles().flatMap((f) => parseAllDocuments(crdText(f)).map((d) => d.toJS()));
    const custom = objects().filter((o) => new CrdCatalog(documents).validate(o) !== undefined);
    expect(custom.length).toBeGreaterThan(10);
    const first = new CrdCatalog(documents);
    const firstFindings = custom.flatMap(variants).map((o) => first.validate(o));
    const written = entries('ajv');
    expect(written.length).toBeGreaterThan(3);
    // A new process: the catalog module loaded afresh reads the code instead of compiling.
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CrdCatalog: Fresh } = require('../lib/schema-validation') as typeof import('../lib/schema-validation');
      const compile = jest.spyOn(Ajv.prototype, 'compile');
      try {
        const second = new Fresh(documents);
        expect(custom.flatMap(variants).map((o) => second.validate(o))).toEqual(firstFindings);
        expect(compile).not.toHaveBeenCalled();
      } finally {
        compile.mockRestore();
      }
    });
    expect(entries('ajv')).toEqual(written);
    expect(firstFindings.some((f) => f!.length > 0)).toBe(true);
  });

  test('a damaged entry is compiled again and replaced', () => {
    const documents = crdFiles().flatMap((f) => parseAllDocuments(crdText(f)).map((d) => d.toJS()));
    const topic = objects().find((o) => o.kind === 'KafkaTopic')!;
    const before = new CrdCatalog(documents).validate({ ...topic, spec: { ...topic.spec, partitions: 'x' } });
    for (const entry of entries('ajv')) fs.writeFileSync(path.join(cacheFolder('ajv'), entry), 'module.exports = (');
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CrdCatalog: Fresh } = require('../lib/schema-validation') as typeof import('../lib/schema-validation');
      expect(new Fresh(documents).validate({ ...topic, spec: { ...topic.spec, partitions: 'x' } })).toEqual(before);
    });
    expect(before!.length).toBeGreaterThan(0);
    for (const entry of entries('ajv')) expect(fs.readFileSync(path.join(cacheFolder('ajv'), entry), 'utf8')).toMatch(/^"use strict";/);
  });
});
