/**
 * `npm run phalanx` never rewrites what it does not own: an environment whose sasquatch runs another
 * system on the Kafka and registry the alert stream would replace (summit's and usdfprod's EFD telemetry)
 * is refused, every file untouched, unless the operator names what to take over with --replace.
 * On the shared copy of the real sasquatch chart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { runPhalanx } from '../cli/phalanx';
import { environments } from '../lib/environments';
import { subchartStates } from '../lib/phalanx/ownership';
import { filesUnder, SASQUATCH_CHART, scratchPhalanx } from './phalanx-tree';
import { runCommand } from './helpers';

/** The registry with one more environment named like a Phalanx one (as `new-env <name>` would add it). */
const registryWith = (name: string) => ({ ...environments, [name]: { ...structuredClone(environments['usdfdev-prompt-processing']), name } });
const umbrella = { read: (file: string) => (fs.existsSync(path.join(SASQUATCH_CHART, file)) ? fs.readFileSync(path.join(SASQUATCH_CHART, file), 'utf8') : undefined) };
const enabled = (env: string) => subchartStates(umbrella, env).filter((s) => s.enabled).map((s) => s.key);

let tree: ReturnType<typeof scratchPhalanx>;
beforeEach(() => { tree = scratchPhalanx(); });
afterEach(() => tree.remove());

test('what each environment enables is read as Helm reads it (sub-chart defaults, umbrella values, environment values)', () => {
  expect(enabled('usdfprod-prompt-processing').sort()).toEqual(['alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'schema-registry', 'strimzi-kafka']);
  // telegraf-local's condition is not in the umbrella's values: its own chart's `enabled: false` decides.
  expect(enabled('summit')).not.toContain('telegraf-local');
  expect(enabled('summit')).toEqual(expect.arrayContaining(['strimzi-kafka', 'influxdb-enterprise', 'telegraf', 'rest-proxy', 'kafdrop']));
});

test.each(['summit', 'usdfprod', 'usdfdev', 'idfint'])('%s: refused with one line per sub-chart it does not own, naming its Kafka; every file byte-identical', (env) => {
  const before = filesUnder(tree.sasquatch);
  const result = runCommand(runPhalanx, ['--phalanx', tree.root, '--env', env], { environments: registryWith(env) });
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe('phalanx: refused; nothing was written.');
  expect(lines[1]).toMatch(new RegExp(`^values-${env}\\.yaml: its Kafka 'sasquatch' \\(strimzi-kafka\\) and schema registry serve \\d+ sub-chart\\(s\\) this project does not own, so they are another system's \\(as the EFD's on summit\\)`));
  const foreign = enabled(env).filter((k) => !['strimzi-kafka', 'schema-registry', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'alert-stream'].includes(k));
  expect(foreign.length).toBeGreaterThan(0);
  expect(lines.slice(2).map((l) => /^values-[\w-]+\.yaml: ([\w-]+) is enabled/.exec(l)?.[1])).toEqual(foreign);
  expect(filesUnder(tree.sasquatch)).toEqual(before);
});

test('--replace with every conflict named takes them over: written, each switched off in values-summit.yaml', () => {
  const foreign = enabled('summit').filter((k) => !['strimzi-kafka', 'schema-registry', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat'].includes(k));
  const result = runCommand(runPhalanx, ['--phalanx', tree.root, '--env', 'summit', '--replace', foreign.join(',')], { environments: registryWith('summit') });
  expect(result.code).toBe(0);
  const values = parse(fs.readFileSync(path.join(tree.sasquatch, 'values-summit.yaml'), 'utf8'));
  expect(values['alert-stream'].enabled).toBe(true);
  const states = subchartStates({ read: (f) => (fs.existsSync(path.join(tree.sasquatch, f)) ? fs.readFileSync(path.join(tree.sasquatch, f), 'utf8') : undefined) }, 'summit');
  expect(states.filter((s) => s.enabled).map((s) => s.key).sort()).toEqual(['alert-stream']);
});

test('--replace that leaves one conflict out is still refused, naming only that one', () => {
  const foreign = enabled('summit').filter((k) => !['strimzi-kafka', 'schema-registry', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat'].includes(k));
  const result = runCommand(runPhalanx, ['--phalanx', tree.root, '--env', 'summit', '--replace', foreign.slice(1).join(',')], { environments: registryWith('summit') });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`values-summit.yaml: ${foreign[0]} is enabled`);
  expect(result.stderr.split('\n').filter((l) => l.includes(' is enabled'))).toHaveLength(1);
});

test('--replace naming no sub-chart of the chart is a usage error', () => {
  const result = runCommand(runPhalanx, ['--phalanx', tree.root, '--env', 'summit', '--replace', 'influxdb-enterprise,no-such-chart'], { environments: registryWith('summit') });
  expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('--replace names no sub-chart of') });
  expect(result.stderr).toContain('no-such-chart');
});

test('the prompt-processing environments are the alert stream: written without --replace', () => {
  expect(runCommand(runPhalanx, ['--phalanx', tree.root]).code).toBe(0);
});
