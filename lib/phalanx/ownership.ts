import { parsedYaml } from './parsed-yaml';
import type { UmbrellaFolder } from './change';

type Values = Record<string, unknown>;

/** One dependency of the umbrella chart, and whether an environment's values enable it. */
export interface SubchartState {
  /** The values key: the alias, else the chart name. */
  readonly key: string;
  /** `telegraf.enabled`; undefined for a dependency that is always rendered. */
  readonly condition?: string;
  readonly enabled: boolean;
}

const isMapping = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Helm's coalescing: the right side's values over the left's, mappings merged key by key. */
const merge = (a: unknown, b: unknown): unknown => {
  if (!isMapping(a) || !isMapping(b)) return b === undefined || b === null ? a : b;
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
};
const at = (values: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (isMapping(v) ? v[k] : undefined), values);

function read(umbrella: UmbrellaFolder, file: string): Values {
  const text = umbrella.read(file);
  if (text === undefined) return {};
  const value: unknown = parsedYaml(text);
  if (value !== null && value !== undefined && !isMapping(value)) throw new Error(`${file}: not a mapping of values`);
  return (value ?? {}) as Values;
}

/**
 * Every dependency of Chart.yaml and whether the environment's values enable it, as Helm decides: the
 * sub-chart's own values.yaml, under the umbrella's values.yaml, under values-<env>.yaml; a condition whose
 * path is in none of them leaves the dependency enabled.
 */
export function subchartStates(umbrella: UmbrellaFolder, env: string): SubchartState[] {
  const chart = read(umbrella, 'Chart.yaml');
  const dependencies = Array.isArray(chart.dependencies) ? chart.dependencies.filter(isMapping) : [];
  const umbrellaValues = merge(read(umbrella, 'values.yaml'), read(umbrella, `values-${env}.yaml`));
  return dependencies.map((d) => {
    const name = String(d.name);
    const key = typeof d.alias === 'string' ? d.alias : name;
    const condition = typeof d.condition === 'string' ? d.condition.split(',')[0].trim() : undefined;
    const values = merge(umbrellaValues, { [key]: merge(read(umbrella, `charts/${name}/values.yaml`), isMapping(umbrellaValues) ? umbrellaValues[key] : undefined) });
    const value = condition === undefined ? undefined : at(values, condition);
    return { key, condition, enabled: value === undefined ? true : value === true };
  });
}

/**
 * Why the alert stream cannot be written into this environment: one line per enabled sub-chart that this
 * project neither replaces nor was told to take over. Such a sub-chart belongs to another system (the
 * EFD's telemetry on summit), whose Kafka and schema registry the alert stream would disable.
 */
export function ownershipConflicts(umbrella: UmbrellaFolder, env: string, owned: readonly string[], replace: readonly string[]): string[] {
  const states = subchartStates(umbrella, env);
  const foreign = states.filter((s) => s.enabled && !owned.includes(s.key) && !replace.includes(s.key));
  if (foreign.length === 0) return [];
  const kafka = at(merge(read(umbrella, 'values.yaml'), read(umbrella, `values-${env}.yaml`)), 'strimzi-kafka.cluster.name') ?? 'sasquatch';
  const file = `values-${env}.yaml`;
  return [
    `${file}: its Kafka '${String(kafka)}' (strimzi-kafka) and schema registry serve ${foreign.length} sub-chart(s) this project does not own, so they are another system's (as the EFD's on summit), not the alert stream's; writing the alert stream here would disable them`,
    ...foreign.map((s) => `${file}: ${s.key} is enabled${s.condition ? ` (${s.condition})` : ''} and is not the alert stream's; take it over only on purpose: --replace ${s.key}`),
  ];
}
