import type { KubeObject } from '../synthesize';
import type { Environment } from '../../constructs/alert-stream-props';
import { containersOf, ImageValue, PhalanxEnvironment, splitImage } from './values';
import { sharedShare, Skeleton, slotPaths, slotValues, templateLines, unify } from './unify';

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

/** Placeholders for what Helm supplies, replaced by its expressions in the template text (and in `tpl` values). */
const TOKEN = (name: string) => `__alert_stream_${name}__`;
const TOKEN_PATTERN = /__alert_stream_[A-Za-z0-9]+__/;

function expressions(images: readonly ImageValue[]): Map<string, string> {
  return new Map([
    [TOKEN('namespace'), '{{ $.Release.Namespace }}'],
    [TOKEN('host'), '{{ $.Values.global.host }}'],
    [TOKEN('baseUrl'), '{{ $.Values.global.baseUrl }}'],
    [TOKEN('vaultPath'), '{{ $.Values.global.vaultSecretsPath }}'],
    ...images.map((i) => [TOKEN(`image${i.key}`), `{{ $.Values.${i.key}.image.repository }}:{{ $.Values.${i.key}.image.tag }}`] as [string, string]),
  ]);
}

/**
 * An environment's object with what Helm supplies as placeholders: its
 * namespace `.Release.Namespace`, its host and Vault path the `global.*`
 * values Argo CD injects, its images the values Renovate updates.
 */
function withPlaceholders(env: Environment, object: KubeObject, images: readonly ImageValue[]): KubeObject {
  const inNamespace = new RegExp(`(?<=[a-z0-9-]\\.)${escapeRegExp(env.namespace)}(?=:\\d|\\.svc\\b)`, 'g');
  const rewrite = (value: string): string => {
    if (value === env.host) return TOKEN('host');
    if (value === `https://${env.host}`) return TOKEN('baseUrl');
    if (env.vaultPathPrefix && value.startsWith(`${env.vaultPathPrefix}/`)) return TOKEN('vaultPath') + value.slice(env.vaultPathPrefix.length);
    return value.replace(inNamespace, TOKEN('namespace'));
  };
  const copy = deepMap(object, rewrite) as KubeObject & { metadata: { namespace?: string } };
  if (object.metadata.namespace === env.namespace) copy.metadata.namespace = TOKEN('namespace');
  const byRepository = new Map(images.map((i) => [i.repository, TOKEN(`image${i.key}`)]));
  for (const container of containersOf(copy)) {
    const [repository] = splitImage(container.image, `${env.name}: ${object.kind}/${object.metadata.name}`);
    setImage(copy, container.image, byRepository.get(repository) ?? container.image);
  }
  return copy;
}

/** One template's share of the values: where it reads them, and what it is (for values.yaml's comments). */
export interface ValuesEntry {
  /** Path in the sub-chart's values: [kind, name] for one object, [list] for a list of objects. */
  readonly path: readonly string[];
  readonly description: string;
  /** Environment name -> its values there (absent when the environment has no such object). */
  readonly byEnvironment: ReadonlyMap<string, unknown>;
}

/** The generated templates (file -> text) and the values they read. */
export interface GeneratedTemplates {
  readonly templates: ReadonlyMap<string, string>;
  readonly values: readonly ValuesEntry[];
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const plural = (s: string) => (/[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(s) ? `${s}es` : `${s}s`);
const camel = (s: string) => s.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A kind whose objects share most of their fields (topics, users) is one
 * template over a list in the values; the others are one template each, with
 * values only for the fields that differ between environments.
 */
function sharesAsList(skeleton: Skeleton): boolean {
  const { literal, slots } = sharedShare(skeleton);
  return literal >= 2 * slots;
}

/**
 * One set of templates for every Phalanx environment, one file per stage:
 * literal where the environments agree, values where they differ (each
 * environment's in its `values-<env>.yaml`), lists of same-shaped objects a
 * `range` over a list in the values. Generic over kinds and fields: it knows
 * only objects, so a change of the constructs changes the templates with it.
 */
export function subchartTemplates(environments: readonly PhalanxEnvironment[], images: readonly ImageValue[]): GeneratedTemplates {
  const stages = [...new Set(environments.flatMap((e) => e.manifests.map((m) => m.fileName)))].sort();
  const replacements = expressions(images);
  const templates = new Map<string, string>();
  const values: ValuesEntry[] = [];
  const singletonKeys = new Set<string>();
  const usedKeys = new Set(['enabled', 'environment', 'expected', 'global', ...images.map((i) => i.key)]);
  for (const fileName of stages) {
    const file = `templates/${fileName.replace(/\.k8s\.yaml$/, '.yaml')}`;
    const byEnv = new Map(environments.map(({ env, manifests }) => [env.name, (manifests.find((m) => m.fileName === fileName)?.objects ?? [])
      .filter((o) => !isUmbrellaVaultSecret(o, env)).map((o) => withPlaceholders(env, o, images))]));
    const kinds = [...new Set([...byEnv.values()].flat().map((o) => o.kind))];
    const documents: string[] = [];
    for (const kind of kinds) {
      const ofKind = new Map([...byEnv].map(([name, objects]) => [name, objects.filter((o) => o.kind === kind)]));
      const names = [...ofKind.values()].map((objects) => objects.map((o) => o.metadata.name).sort().join('\n'));
      const sameEverywhere = names.every((n) => n === names[0]);
      const all = [...ofKind.values()].flat();
      const listSkeleton = unify(all);
      const asList = !sameEverywhere || (all.length > environments.length && sharesAsList(listSkeleton));
      if (asList) {
        let key = plural(lowerFirst(kind));
        if (usedKeys.has(key)) key = plural(`${lowerFirst(camel(fileName.replace(/^\d+-|\.k8s\.yaml$/g, '')))}${kind}`);
        if (usedKeys.has(key)) throw new Error(`${file}: the values key ${key} of the ${kind} objects is taken by another value of the sub-chart`);
        usedKeys.add(key);
        const templated = templatedSlots(listSkeleton, all);
        documents.push([
          `{{- range $item := index $.Values ${JSON.stringify(key)} }}`,
          '---',
          ...templateLines(asMapping(listSkeleton), 0, '$item', [], templated),
          '{{- end }}',
        ].join('\n'));
        values.push({
          path: [key],
          description: `The ${kind} objects of ${file}, one item each: the fields that differ between them or between environments (the template holds the rest)`,
          byEnvironment: new Map([...ofKind].map(([name, objects]) => [name, objects.map((o) => withExpressions(slotValues(listSkeleton, o) ?? {}, replacements))])),
        });
        continue;
      }
      for (const name of [...new Set(all.map((o) => o.metadata.name))]) {
        const instances = [...ofKind].map(([env, objects]) => [env, objects.find((o) => o.metadata.name === name) as KubeObject] as const);
        const skeleton = unify(instances.map(([, o]) => o));
        const root = [lowerFirst(kind), name];
        const path = `(index $.Values ${root.map((r) => JSON.stringify(r)).join(' ')})`;
        documents.push(['---', ...templateLines(asMapping(skeleton), 0, path, [], templatedSlots(skeleton, instances.map(([, o]) => o)))].join('\n'));
        if (skeleton.t === 'literal') continue;
        if (usedKeys.has(root[0]) && !singletonKeys.has(root[0])) throw new Error(`${kind}/${name}: its values key ${root[0]} is taken by another value of the sub-chart`);
        usedKeys.add(root[0]);
        singletonKeys.add(root[0]);
        values.push({
          path: root,
          description: `${kind}/${name} (${file}): the fields that differ between environments (the template holds the rest)`,
          byEnvironment: new Map(instances.map(([env, o]) => [env, withExpressions(slotValues(skeleton, o) ?? {}, replacements)])),
        });
      }
    }
    if (documents.length === 0) continue;
    let text = `{{- if .Values.enabled }}\n${documents.join('\n')}\n{{- end }}\n`;
    for (const [token, expression] of replacements) text = text.split(token).join(expression);
    if (TOKEN_PATTERN.test(text)) throw new Error(`${file}: a placeholder was left unreplaced (${TOKEN_PATTERN.exec(text)?.[0]})`);
    templates.set(file, text);
  }
  return { templates, values };
}

/** A literal object as a mapping skeleton whose entries are all literal, so it is written by key like the others. */
function asMapping(skeleton: Skeleton): Skeleton {
  if (skeleton.t !== 'literal') return skeleton;
  const value = skeleton.value;
  return { t: 'map', entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, optional: false, node: { t: 'literal', value: v } })) };
}

/** Which slots hold a placeholder in some instance: those are read through `tpl`. */
function templatedSlots(skeleton: Skeleton, instances: readonly unknown[]): (path: readonly string[]) => boolean {
  const templated = new Set<string>();
  for (const instance of instances) {
    const tree = slotValues(skeleton, instance) ?? {};
    for (const path of slotPaths(skeleton)) {
      const value = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), tree);
      const text = JSON.stringify(value) ?? '';
      if (TOKEN_PATTERN.test(text)) {
        if (/\{\{|\}\}/.test(text)) throw new Error(`a value of the sub-chart holds both Helm braces and a namespace, host or image: ${text.slice(0, 200)}`);
        templated.add(JSON.stringify(path));
      }
    }
  }
  return (path) => templated.has(JSON.stringify(path));
}

/** A values tree with each placeholder as its Helm expression (read through `tpl`). */
function withExpressions(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  return deepMap(value, (s) => {
    let out = s;
    for (const [token, expression] of replacements) out = out.split(token).join(expression);
    return out;
  });
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
