import type { Environment } from '../../constructs/alert-stream-props';
import type { KubeObject, StageManifest } from '../synthesize';

/** An environment that has a Phalanx environment of the same name, with its synthesized manifests. */
export interface PhalanxEnvironment {
  readonly env: Environment;
  readonly manifests: readonly StageManifest[];
}

/** A container image the sub-chart takes from its values, so Renovate can update it. */
export interface ImageValue {
  /** The values key: `<key>.image.repository` and `<key>.image.tag`. */
  readonly key: string;
  readonly repository: string;
  /** The tag in values.yaml: the one most environments use (ties: the first environment's). */
  readonly defaultTag: string;
  /** Environment name -> its tag, for every environment that runs the image. */
  readonly tags: ReadonlyMap<string, string>;
  /** `Kind/name (container c)` of every container that runs it. */
  readonly usedBy: readonly string[];
}

/** `lsstdm/alert_database_ingester` -> `alertDatabaseIngester`; `ghcr.io/kafbat/kafka-ui` -> `kafkaUi`. */
export function imageValueKey(repository: string): string {
  const last = repository.split('/').pop() ?? repository;
  return last.toLowerCase().replace(/[^a-z0-9]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^a-zA-Z0-9]/g, '');
}

/**
 * `repo:tag` -> [repo, tag]; `repo:tag@sha256:<digest>` -> [repo, `tag@sha256:<digest>`] (the values' tag carries the
 * digest, as Renovate writes it); an image without a tag is refused (Renovate and the values need one).
 */
export function splitImage(image: string, where: string): [string, string] {
  const digest = image.indexOf('@');
  const name = digest === -1 ? image : image.slice(0, digest);
  const at = name.lastIndexOf(':');
  if (at <= name.lastIndexOf('/')) throw new Error(`${where}: image ${image} has no tag; give it one (repository:tag) so Phalanx values and Renovate can carry it`);
  return [name.slice(0, at), image.slice(at + 1)];
}

/** Every container (and init container) of an object's pod templates, with the path to it. */
export function containersOf(object: KubeObject): Array<{ readonly name: string; readonly image: string }> {
  const found: Array<{ name: string; image: string }> = [];
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      if (key === 'containers' || key === 'initContainers') {
        for (const c of value) if (c && typeof c.image === 'string') found.push({ name: String(c.name), image: c.image });
      }
      value.forEach((v) => walk(v, ''));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk(object.spec, 'spec');
  return found;
}

/** The images of every environment, one values key per repository. */
export function imageValues(environments: readonly PhalanxEnvironment[]): ImageValue[] {
  const byRepository = new Map<string, { tags: Map<string, string>; usedBy: Set<string> }>();
  for (const { env, manifests } of environments) {
    for (const object of manifests.flatMap((m) => m.objects)) {
      for (const container of containersOf(object)) {
        const where = `${env.name}: ${object.kind}/${object.metadata.name} container ${container.name}`;
        const [repository, tag] = splitImage(container.image, where);
        const entry = byRepository.get(repository) ?? { tags: new Map(), usedBy: new Set() };
        const known = entry.tags.get(env.name);
        if (known !== undefined && known !== tag) throw new Error(`${where}: runs ${repository}:${tag} but another container of ${env.name} runs ${repository}:${known}; one environment uses one tag per image`);
        entry.tags.set(env.name, tag);
        entry.usedBy.add(`${object.kind}/${object.metadata.name} (container ${container.name})`);
        byRepository.set(repository, entry);
      }
    }
  }
  const images = [...byRepository.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([repository, { tags, usedBy }]) => {
    const counts = new Map<string, number>();
    for (const tag of tags.values()) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const defaultTag = [...counts.entries()].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
    return { key: imageValueKey(repository), repository, defaultTag, tags, usedBy: [...usedBy].sort() };
  });
  const keys = new Map<string, string>();
  for (const image of images) {
    const other = keys.get(image.key);
    if (other) throw new Error(`images ${other} and ${image.repository} would share the values key ${image.key}; rename one repository`);
    keys.set(image.key, image.repository);
  }
  return images;
}
