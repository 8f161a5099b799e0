import * as fs from 'node:fs';
import * as path from 'node:path';
import { procedureSources } from '../cli/docs';
import { applyEdit, evaluateEnvironment, procedureSource, PROCEDURES, renderOperationsDoc } from '../lib/operations-doc';
import { planChanges, synthesizedObjects } from '../lib/plan';
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
  const source = procedureSource(procedureSources(root), procedure);
  expect(applyEdit(source, procedure)).not.toBe(source);
});

test.each(PROCEDURES.map((p) => [p.title, p] as const))('procedure "%s" is safe once its allowed rules are followed, and allows nothing it does not trip', (_, procedure) => {
  const source = procedureSource(procedureSources(root), procedure);
  const plan = planChanges(synthesizedObjects(evaluateEnvironment(source)), synthesizedObjects(evaluateEnvironment(applyEdit(source, procedure))), procedure.allow ?? []);
  expect(plan.unsafe.filter((u) => !u.allowed)).toEqual([]);
  expect([...new Set(plan.unsafe.map((u) => u.rule))].sort()).toEqual([...(procedure.allow ?? [])].sort());
});

test('the broker procedures: add, the three changes of a removal, and a move as an addition then a removal', () => {
  const titles = PROCEDURES.map((p) => p.title);
  expect(titles).toEqual(expect.arrayContaining(['Add a broker', 'Remove a broker, change 1 of 3: declare it', 'Remove a broker, change 2 of 3: scale down',
    'Remove a broker, change 3 of 3: release its address', 'Move a broker to a new node id']));
  expect(PROCEDURES.find((p) => p.title === 'Move a broker to a new node id')!.after).toBe('Add a broker');
});
