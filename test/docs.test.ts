import * as fs from 'node:fs';
import * as path from 'node:path';
import { procedureSources } from '../cli/docs';
import { applyEdit, evaluateEnvironment, PROCEDURES, renderOperationsDoc } from '../lib/operations-doc';
import { environments } from '../lib/environments';

const root = path.resolve(__dirname, '..');

test('docs/operations.md is up to date (run `npm run docs`)', () => {
  expect(fs.readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8')).toBe(renderOperationsDoc(procedureSources(root)));
});

test('an environment file evaluates to the environment the program imports', () => {
  const sources = procedureSources(root);
  expect(evaluateEnvironment(sources['environments/usdfprod-prompt-processing.ts'])).toEqual(environments['usdfprod-prompt-processing']);
});

test.each(PROCEDURES.map((p) => [p.title, p] as const))('procedure "%s" edits its file exactly once', (_, procedure) => {
  const source = procedureSources(root)[procedure.file];
  expect(applyEdit(source, procedure)).not.toBe(source);
});
