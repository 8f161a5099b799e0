/** The README's exit-code table is what the commands do: every command is in it, and each column holds for it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDiagram } from '../cli/diagram';
import { runDocs } from '../cli/docs';
import { runNewEnv } from '../cli/new-env';
import { runPhalanx } from '../cli/phalanx';
import { runPlan } from '../cli/plan';
import { runSecrets } from '../cli/secrets';
import { runSynth } from '../cli/synth';
import { runValidate } from '../cli/validate';
import { lazyEnvironments } from '../lib/environments';
import { runCommandAsync } from './helpers';
import { README, section as sectionOf } from './readme-examples';

const section = sectionOf(README, '## Exit codes');
/** Each row of the table: the commands it names, and its three columns. */
const rows = section.split('\n').filter((l) => l.startsWith('| `')).map((l) => {
  const [commands, ok, found, couldNot] = l.split('|').slice(1, -1).map((c) => c.trim());
  return { commands: [...commands.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]), ok, found, couldNot };
});
const row = (command: string) => rows.find((r) => r.commands.includes(command))!;

const commands = { synth: runSynth, validate: runValidate, plan: runPlan, secrets: runSecrets, phalanx: runPhalanx, 'new-env': runNewEnv, docs: runDocs, diagram: runDiagram };

test('every command of cli/run.ts and synth has a row, and no row names another', () => {
  const runText = fs.readFileSync(path.join(__dirname, '..', 'cli', 'run.ts'), 'utf8');
  const registered = [...runText.slice(runText.indexOf('const commands')).matchAll(/^ {2}'?([a-z-]+)'?: run/gm)].map((m) => m[1]);
  expect(registered.sort()).toEqual(Object.keys(commands).filter((c) => c !== 'synth').sort());
  expect(rows.flatMap((r) => r.commands).sort()).toEqual(Object.keys(commands).sort());
});

test.each(Object.keys(commands))('%s: a usage error exits 2, as its row says', async (name) => {
  expect(row(name).couldNot).toMatch(/^usage/);
  const result = await runCommandAsync(commands[name as keyof typeof commands], ['--no-such-option'], {});
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^${name}: `));
});

test.each(['synth', 'plan', 'secrets', 'diagram'])('%s: an environment that does not synthesize exits 1, as its row says', async (name) => {
  expect(row(name).found).toMatch(/an environment (that does not synthesize|breaks a rule)/);
  const broken = lazyEnvironments({ 'usdfprod-prompt-processing': { file: 'environments/usdfprod-prompt-processing.ts', load: () => ({ name: 'usdfprod-prompt-processing' } as any) } });
  const argv: Record<string, string[]> = {
    synth: ['--env', 'usdfprod-prompt-processing', '--out', '/nonexistent/never'],
    plan: ['--env', 'usdfprod-prompt-processing', '--from', __dirname],
    secrets: ['--env', 'usdfprod-prompt-processing'],
    diagram: ['--env', 'usdfprod-prompt-processing'],
  };
  const result = await runCommandAsync(commands[name as keyof typeof commands], argv[name], { environments: broken, root: '/nonexistent/never' });
  expect([result.code, result.stderr]).toEqual([1, expect.stringContaining('usdfprod-prompt-processing')]);
});

test('the "could not run" column of the network commands names the timeout', () => {
  expect(row('secrets').couldNot).toContain('--timeout');
  expect(row('validate').couldNot).toContain('--timeout');
});
