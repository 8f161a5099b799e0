import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { environmentSchema, environmentValidator, schemaHashOf } = require('../scripts/environment-schema.js');

const read = (file: string) => fs.readFileSync(path.resolve(__dirname, '..', 'generated', file), 'utf8');

test('generated/environment.schema.json and its compiled validator are generated from the Environment interface (the build or `npm run schema` regenerates them)', () => {
  const { text } = environmentSchema();
  expect(read('environment.schema.json')).toBe(text);
  expect(read('environment.validator.js')).toBe(environmentValidator(text));
});

test('the compiled validator names the exact schema it was compiled from', () => {
  const validator = read('environment.validator.js');
  expect(schemaHashOf(validator)).toMatch(/^[0-9a-f]{64}$/);
  expect(schemaHashOf(environmentValidator(`${read('environment.schema.json')} `))).not.toBe(schemaHashOf(validator));
});
