import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { environmentSchema, environmentValidator } = require('../scripts/environment-schema.js');

const read = (file: string) => fs.readFileSync(path.resolve(__dirname, '..', 'environments', file), 'utf8');

test('environments/environment.schema.json and its compiled validator are generated from the Environment interface (run `npm run schema`)', () => {
  const schema = environmentSchema();
  expect(read('environment.schema.json')).toBe(schema);
  expect(read('environment.validator.js')).toBe(environmentValidator(schema));
});
