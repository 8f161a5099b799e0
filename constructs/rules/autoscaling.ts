import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * The ingester's KEDA bounds: 0 ≤ min ≤ max, and max no more than the
 * partitions of its topic (a consumer beyond the partition count gets no
 * partition and sits idle).
 */
export function checkAutoscaling(env: Environment): Problem[] {
  const ingester = env.alertDatabase?.ingester;
  if (!ingester?.autoscaling) return [];
  const { topic, autoscaling } = ingester;
  const problems: Problem[] = [];
  const problem = (field: string, message: string) =>
    problems.push({ env: env.name, resource: 'ScaledObject/alert-database-ingester-1.0.0', field: `alertDatabase.ingester.autoscaling.${field}`, message });
  const { minReplicas: min, maxReplicas: max } = autoscaling;
  if (!Number.isInteger(min) || min < 0) problem('minReplicas', `${min} is not a whole number of replicas`);
  if (!Number.isInteger(max) || max < 1) problem('maxReplicas', `${max} is not a whole number of replicas, at least 1`);
  else if (max < min) problem('maxReplicas', `${max} is below minReplicas (${min})`);
  // A topic that is not managed here has no known partition count, so no bound.
  const partitions = env.topics.find((t) => t.name === topic)?.partitions ?? Infinity;
  if (max > partitions) {
    problem('maxReplicas', `${max} replicas, but topic '${topic}' has ${partitions} partitions; replicas beyond ${partitions} would sit idle`);
  }
  return problems;
}
