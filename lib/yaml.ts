import { dump } from 'js-yaml';

/**
 * One object as a YAML document. js-yaml, not the `yaml` package cdk8s uses:
 * it writes the same documents four times faster (docs/benchmarks.md), and it
 * quotes every string a YAML 1.1 reader (Argo CD, kubectl) could take for a
 * boolean or number.
 */
export function toYaml(object: unknown): string {
  return dump(object, { lineWidth: -1, noRefs: true, quotingType: '"' });
}
