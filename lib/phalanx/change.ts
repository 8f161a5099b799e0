import type { Environment } from '../../environments/environment';
import { synthesizeEnvironment } from '../synthesize';
import { SECRETS_HEADER, secretsFile } from './secrets-file';
import { alertStreamSubchart, SUBCHART, umbrellaValuesBlock } from './subchart';
import { ensureDependency, replaceTopLevelBlock, setScalar } from './text-edits';
import { imageValues, PhalanxEnvironment } from './values';

/** The umbrella's sub-charts (and their values keys) that the alert-stream sub-chart replaces. */
export const REPLACED_SUBCHARTS = ['strimzi-kafka', 'alert-brokers', 'alert-database', 'alert-stream-schema-sync', 'kafbat', 'schema-registry'] as const;

/**
 * What values-<env>.yaml sets to switch from the replaced sub-charts to alert-stream.
 * `registry.enabled` is the condition Chart.yaml really gives schema-registry;
 * `strimzi-kafka.enabled` is the condition this change adds to strimzi-kafka;
 * `strimzi-kafka.connect.enabled` keeps the umbrella's templates/vault-secrets.yaml
 * rendering, which reads it and would find nothing once strimzi-kafka's defaults are gone.
 */
const SWITCHES: ReadonlyArray<readonly string[]> = [
  ['strimzi-kafka', 'connect', 'enabled'],
  ['strimzi-kafka', 'enabled'],
  ...REPLACED_SUBCHARTS.filter((c) => c !== 'strimzi-kafka').map((c) => [c, 'enabled']),
  ['registry', 'enabled'],
];

/** The umbrella chart folder (applications/sasquatch) as far as this change reads it. */
export interface UmbrellaFolder {
  /** Text of a file relative to the folder, or undefined if absent. */
  readonly read: (file: string) => string | undefined;
}

/** A Phalanx change: file path relative to applications/sasquatch -> new content; the sub-chart folder whole. */
export interface PhalanxChange {
  readonly subchart: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, string>;
  /** Environments of ours with no values-<env>.yaml in the umbrella, hence no Phalanx environment. */
  readonly skipped: readonly string[];
}

/** The name of our environments that Phalanx has (a values-<env>.yaml in the umbrella), in registry order. */
export function phalanxEnvironmentNames(registry: Readonly<Record<string, Environment>>, umbrella: UmbrellaFolder): string[] {
  return Object.keys(registry).filter((name) => umbrella.read(`values-${name}.yaml`) !== undefined);
}

/**
 * The whole change for `enable` (environment names; each must have a Phalanx
 * environment): the sub-chart with the objects of every Phalanx environment,
 * and for each enabled one the edits of Chart.yaml and values-<env>.yaml and
 * its secrets-<env>.yaml. Pure: reads through `umbrella`, writes nothing.
 * Throws one line per problem.
 */
export function phalanxChange(registry: Readonly<Record<string, Environment>>, umbrella: UmbrellaFolder, enable: readonly string[]): PhalanxChange {
  const names = phalanxEnvironmentNames(registry, umbrella);
  const environments: PhalanxEnvironment[] = names.map((name) => ({ env: registry[name], manifests: synthesizeEnvironment(registry[name]) }));
  const images = imageValues(environments);
  const files = new Map<string, string>();

  const chart = umbrella.read('Chart.yaml');
  if (chart === undefined) throw new Error('Chart.yaml: missing; --phalanx must name a Phalanx checkout or its applications/sasquatch folder');
  let editedChart = ensureDependency(chart, 'strimzi-kafka', 'strimzi-kafka.enabled', '1.0.0', 'Chart.yaml');
  editedChart = ensureDependency(editedChart, SUBCHART, `${SUBCHART}.enabled`, '1.0.0', 'Chart.yaml');
  files.set('Chart.yaml', editedChart);

  for (const name of enable) {
    const environment = environments.find((e) => e.env.name === name);
    if (!environment) throw new Error(`${name}: no values-${name}.yaml in applications/sasquatch, so Phalanx has no such environment`);
    const file = `values-${name}.yaml`;
    let values = umbrella.read(file) as string;
    for (const path of SWITCHES) values = setScalar(values, path, 'false', file);
    files.set(file, replaceTopLevelBlock(values, SUBCHART, umbrellaValuesBlock(environment, images), file));

    const secrets = `secrets-${name}.yaml`;
    const existing = umbrella.read(secrets);
    if (existing !== undefined && !existing.startsWith(SECRETS_HEADER)) {
      throw new Error(`${secrets}: exists and was not written by alert-stream-deploy; merge the keys of \`npm run secrets -- --env ${name}\` into it by hand`);
    }
    const text = secretsFile(environment.env);
    if (text) files.set(secrets, text);
  }
  return {
    subchart: alertStreamSubchart(environments),
    files,
    skipped: Object.keys(registry).filter((n) => !names.includes(n)),
  };
}
