import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { currentEnvironmentSchema, environmentValidator, generatorKey, recordIsCurrent, schemaHashOf } = require('../scripts/environment-schema.js');

const read = (file: string) => fs.readFileSync(path.resolve(__dirname, '..', 'generated', file), 'utf8');

test('generated/environment.schema.json and its compiled validator are generated from the Environment interface (the build or `npm run schema` regenerates them)', () => {
  // Generated now, or as recorded by the last generation from exactly these files (the next test).
  const text = currentEnvironmentSchema();
  expect(read('environment.schema.json')).toBe(text);
  expect(read('environment.validator.js')).toBe(environmentValidator(text));
});

test('the compiled validator names the exact schema it was compiled from', () => {
  const validator = read('environment.validator.js');
  expect(schemaHashOf(validator)).toMatch(/^[0-9a-f]{64}$/);
  expect(schemaHashOf(environmentValidator(`${read('environment.schema.json')} `))).not.toBe(schemaHashOf(validator));
});

test('generated/environments.ts registers every file of environments/, by the name each file gives itself', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { environmentIndex } = require('../scripts/environment-index.js');
  expect(read('environments.ts')).toBe(environmentIndex());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { environments } = require('../lib/environments');
  for (const [file, env] of Object.entries(environments)) expect((env as { name: string }).name).toBe(file);
  const files = fs.readdirSync(path.resolve(__dirname, '..', 'environments')).filter((f) => f.endsWith('.ts'));
  expect(Object.keys(environments).sort()).toEqual(files.map((f) => f.slice(0, -3)).sort());
});

test('a recorded generation stands only for the generator and the files it was made from, each unchanged', () => {
  const key = generatorKey();
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  const sha = (file: string) => createHash('sha256').update(fs.readFileSync(path.resolve(__dirname, '..', file))).digest('hex');
  const files = { 'constructs/alert-stream-props.ts': sha('constructs/alert-stream-props.ts'), 'constructs/types.ts': sha('constructs/types.ts') };
  const record = { generator: key, files, text: '{}\n' };
  expect(recordIsCurrent(record, key)).toBe(true);
  expect(recordIsCurrent({ ...record, generator: `${key}0` }, key)).toBe(false);
  expect(recordIsCurrent({ ...record, files: { ...files, 'constructs/types.ts': sha('constructs/index.ts') } }, key)).toBe(false);
  expect(recordIsCurrent({ ...record, files: { ...files, 'constructs/gone.ts': 'x' } }, key)).toBe(false);
  expect(recordIsCurrent({ ...record, files: {} }, key)).toBe(false);
  expect(recordIsCurrent({ ...record, text: undefined }, key)).toBe(false);
  for (const broken of [undefined, null, 'text', { ...record, files: null }]) expect(recordIsCurrent(broken, key)).toBe(false);
});

