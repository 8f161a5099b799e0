import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { environmentSchema } = require('../scripts/environment-schema.js');

test('environments/environment.schema.json is generated from the Environment interface (run `npm run schema`)', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '..', 'environments', 'environment.schema.json'), 'utf8');
  expect(committed).toBe(environmentSchema());
});
