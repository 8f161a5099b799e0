import { escapeForHelm } from './escape';
import { toYaml } from '../../constructs/yaml';
import type { KubeObject, StageManifest } from '../synthesize';
import type { Environment } from '../../constructs/alert-stream-props';
import { containersOf, ImageValue, splitImage } from './values';

/** Name and Vault path of the VaultSecret the umbrella chart always renders (templates/vault-secrets.yaml). */
export const UMBRELLA_VAULT_SECRET = 'sasquatch';

/**
 * Whether this is the VaultSecret the sasquatch umbrella already renders
 * (`sasquatch`, `<vaultSecretsPath>/sasquatch`, Opaque, nothing else): the
 * sub-chart leaves it to the umbrella rather than render a second one. Only
 * the sync-wave annotation differs: the umbrella's has none (wave 0, before
 * everything that reads it).
 */
export function isUmbrellaVaultSecret(object: KubeObject, env: Environment): boolean {
  const spec = object.spec as Record<string, unknown> | undefined;
  return object.kind === 'VaultSecret' && object.metadata.name === UMBRELLA_VAULT_SECRET
    && spec?.path === `${env.vaultPathPrefix}/${UMBRELLA_VAULT_SECRET}` && spec?.type === 'Opaque' && Object.keys(spec).length === 2;
}

/**
 * One stage file of an environment as a template of the sub-chart: rendered
 * only for that environment, its namespace `.Release.Namespace`, its host and
 * Vault path the `global.*` values Argo CD injects, its images the values
 * Renovate updates. Every other `{{`/`}}` is escaped, so helm prints the
 * objects of dist/<env> (a test renders it with real helm and compares).
 */
export function stageTemplate(env: Environment, manifest: StageManifest, images: readonly ImageValue[]): string {
  const substitutions = new Map<string, string>();
  const placeholder = (expression: string): string => {
    const token = `__alert_stream_value_${substitutions.size}__`;
    substitutions.set(token, expression);
    return token;
  };
  const tokens = {
    namespace: placeholder('{{ .Release.Namespace }}'),
    host: placeholder('{{ .Values.global.host }}'),
    baseUrl: placeholder('{{ .Values.global.baseUrl }}'),
    vaultPath: placeholder('{{ .Values.global.vaultSecretsPath }}'),
    images: new Map(images.map((i) => [i.repository, placeholder(`{{ .Values.${i.key}.image.repository }}:{{ .Values.${i.key}.image.tag }}`)])),
  };
  const inNamespace = new RegExp(`(?<=[a-z0-9-]\\.)${escapeRegExp(env.namespace)}(?=:\\d|\\.svc\\b)`, 'g');
  const rewrite = (value: string): string => {
    if (value === env.host) return tokens.host;
    if (value === `https://${env.host}`) return tokens.baseUrl;
    if (env.vaultPathPrefix && value.startsWith(`${env.vaultPathPrefix}/`)) return tokens.vaultPath + value.slice(env.vaultPathPrefix.length);
    return value.replace(inNamespace, tokens.namespace);
  };
  const objects = manifest.objects.filter((o) => !isUmbrellaVaultSecret(o, env)).map((object) => {
    const copy = deepMap(object, rewrite) as KubeObject & { metadata: { namespace?: string } };
    if (object.metadata.namespace === env.namespace) copy.metadata.namespace = tokens.namespace;
    for (const container of containersOf(copy)) {
      const [repository] = splitImage(container.image, `${env.name}: ${object.kind}/${object.metadata.name}`);
      setImage(copy, container.image, tokens.images.get(repository) ?? container.image);
    }
    return copy;
  });
  if (objects.length === 0) return '';
  let text = escapeForHelm(objects.map(toYaml).join('---\n'));
  for (const [token, expression] of substitutions) text = text.split(token).join(expression);
  return `{{- if and .Values.enabled (eq .Values.environment ${JSON.stringify(env.name)}) }}\n${text}{{- end }}\n`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A deep copy with every string passed through `f`. */
function deepMap(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => deepMap(v, f));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v, f)]));
  return value;
}

/** Replaces `image` of every container (in place) that runs exactly `image`. */
function setImage(object: unknown, image: string, replacement: string): void {
  if (Array.isArray(object)) object.forEach((v) => setImage(v, image, replacement));
  else if (object && typeof object === 'object') {
    const record = object as Record<string, unknown>;
    if (record.image === image && typeof record.name === 'string') record.image = replacement;
    for (const v of Object.values(record)) setImage(v, image, replacement);
  }
}
