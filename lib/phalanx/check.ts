import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { Environment } from '../../constructs/alert-stream-props';
import type { KubeObject } from '../synthesize';
import { SUBCHART } from './subchart';
import { isUmbrellaVaultSecret } from './templates';

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const short = (value: unknown) => {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** What Argo CD injects into sasquatch in an environment (Phalanx's environments/values-<env>.yaml). */
export interface Injected {
  readonly host: string;
  readonly vaultSecretsPath: string;
  /** Where they were read: Phalanx's environment file, or this project's when the checkout has none. */
  readonly source: string;
}

/** The injected values of `env` from a Phalanx checkout's environments/values-<env>.yaml, else from our environment file. */
export function injectedValues(checkout: string | undefined, env: Environment): Injected {
  const file = checkout === undefined ? undefined : path.join(checkout, 'environments', `values-${env.name}.yaml`);
  if (file && fs.existsSync(file)) {
    const values = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    if (isMapping(values) && typeof values.fqdn === 'string') {
      return { host: values.fqdn, vaultSecretsPath: String(values.vaultPathPrefix ?? ''), source: `environments/values-${env.name}.yaml` };
    }
  }
  return { host: env.host, vaultSecretsPath: env.vaultPathPrefix ?? '', source: `environments/${env.name}.ts of this project (the checkout has no environments/values-${env.name}.yaml)` };
}

/**
 * The objects Phalanx renders from the alert-stream sub-chart in `env`: real
 * helm on charts/alert-stream with the values Helm gives a sub-chart (the
 * umbrella's values.yaml, then values-<env>.yaml, under `alert-stream:` and
 * `global:`) and what Argo CD injects. Only the sub-chart is rendered: the
 * umbrella's other dependencies may be remote charts not fetched here.
 * Throws the helm error's first lines when it cannot render.
 */
export function renderSubchart(helm: string, umbrella: string, env: Environment, injected: Injected, timeoutMs = 120_000): KubeObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-check-'));
  try {
    const files = ['values.yaml', `values-${env.name}.yaml`].map((file, i) => {
      const text = fs.existsSync(path.join(umbrella, file)) ? fs.readFileSync(path.join(umbrella, file), 'utf8') : '';
      const values = (parse(text) ?? {}) as Record<string, unknown>;
      const sub = isMapping(values[SUBCHART]) ? values[SUBCHART] as Record<string, unknown> : {};
      const out = path.join(dir, `${i}.yaml`);
      fs.writeFileSync(out, stringify({ ...sub, ...(isMapping(values.global) ? { global: values.global } : {}) }));
      return out;
    });
    const args = ['template', 'sasquatch', path.join(umbrella, 'charts', SUBCHART), '-n', env.namespace, ...files.flatMap((f) => ['-f', f]),
      '--set', `global.host=${injected.host}`, '--set', `global.baseUrl=https://${injected.host}`, '--set', `global.vaultSecretsPath=${injected.vaultSecretsPath}`];
    let text: string;
    try {
      text = execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n').slice(0, 3).join(' ');
      throw new Error(`${env.name}: helm could not render charts/${SUBCHART}: ${stderr}`, { cause: error });
    }
    return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter((o) => isMapping(o));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every field path where `a` and `b` differ: `spec.kafka.replicas: Phalanx renders 4, this project synthesizes 5`. */
function fieldDifferences(a: unknown, b: unknown, at: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (isMapping(a) && isMapping(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => fieldDifferences(a[k], b[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => fieldDifferences(v, b[i], `${at}[${i}]`));
  return [`${at}: Phalanx renders ${short(a)}, this project synthesizes ${short(b)}`];
}

/**
 * Every difference between what Phalanx renders in `env` and what this
 * project synthesizes for it (the umbrella's own VaultSecret left out): one
 * line each, naming the environment, the object and the field.
 */
export function renderDifferences(env: Environment, rendered: readonly KubeObject[], synthesized: readonly KubeObject[]): string[] {
  const id = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  const ours = new Map(synthesized.filter((o) => !isUmbrellaVaultSecret(o, env)).map((o) => [id(o), o]));
  const theirs = new Map(rendered.map((o) => [id(o), o]));
  const lines: string[] = [];
  for (const [key, object] of theirs) {
    const mine = ours.get(key);
    if (!mine) lines.push(`${env.name}: ${key}: Phalanx renders it, this project does not synthesize it`);
    else lines.push(...fieldDifferences(object, mine, '').map((d) => `${env.name}: ${key}: ${d}`));
  }
  for (const key of ours.keys()) if (!theirs.has(key)) lines.push(`${env.name}: ${key}: this project synthesizes it, Phalanx does not render it`);
  return lines;
}
