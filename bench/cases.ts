import { environments } from '../environments';
import type { Environment } from '../environments/environment';
import { Scale, scaledEnvironment } from './scaled-environments';

const production = environments['usdfprod-prompt-processing'];
const productionUsers = production.users.communityBrokers.length + production.users.developers.length
  + production.users.readWrite.length + production.users.writeOnly.length;

/** The generated environments of the benchmark: 10×, 100× and 1 000× production, and helm's reference size. */
export const SCALES: readonly Scale[] = [
  { label: '10x', topics: production.topics.length * 10, users: productionUsers * 10 },
  { label: '100x', topics: production.topics.length * 100, users: productionUsers * 100 },
  { label: '1000x', topics: production.topics.length * 1000, users: productionUsers * 1000 },
  { label: 'helm-reference', topics: 1000, users: 2000 },
];

/** Each scale as an environment file's content. */
export function scaledEnvironmentFiles(): Array<{ scale: Scale; json: string }> {
  return SCALES.map((scale) => ({ scale, json: JSON.stringify(scaledEnvironment(production, scale) as Environment) }));
}
