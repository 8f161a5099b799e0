import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** `name:tag@sha256:<64 hex>`: pinned by digest, the tag kept for people (and for Renovate). */
export const PINNED_IMAGE = /^[^\s@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[a-f0-9]{64}$/;

/** Where a kind's pod spec is, with its path; undefined for kinds without pods. */
function podSpec(o: Obj): [string, Obj | undefined] | undefined {
  switch (o.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return ['spec.template.spec', o.spec?.template?.spec];
    case 'CronJob': return ['spec.jobTemplate.spec.template.spec', o.spec?.jobTemplate?.spec?.template?.spec];
    case 'Pod': return ['spec', o.spec];
  }
  return undefined;
}

/** Whether an object of `kind` can set an image: imagesOf finds none in any other kind. */
export function setsImages(kind: unknown): boolean {
  return kind === 'StrimziSchemaRegistry' || podSpec({ kind }) !== undefined;
}

/** Every image an object sets, with the path of its field: its containers' and init containers', and the schema registry's. */
export function imagesOf(object: Obj): Array<{ readonly field: string; readonly image: string }> {
  if (object.kind === 'StrimziSchemaRegistry') {
    const spec = object.spec ?? {};
    return spec.registryImage === undefined ? [] : [{ field: 'spec.registryImageTag', image: `${spec.registryImage}:${spec.registryImageTag}` }];
  }
  const where = podSpec(object);
  if (where === undefined) return [];
  const [at, spec] = where;
  return (['initContainers', 'containers'] as const).flatMap((list) => (spec?.[list] ?? [])
    .map((c: Obj, i: number) => ({ field: `${at}.${list}[${i}].image`, image: String(c.image) })));
}

/**
 * Every image this project sets is pinned by digest (`tag@sha256:…`), so what runs is what was reviewed and
 * Renovate proposes each new digest. An environment may state why its images are not pinned yet
 * (`imagesWithoutDigest`); a malformed digest is refused even then.
 */
export function checkImageDigests(env: Environment, objects: readonly Obj[]): Problem[] {
  const problems: Problem[] = [];
  for (const object of objects) {
    for (const { field, image } of imagesOf(object)) {
      if (PINNED_IMAGE.test(image)) continue;
      const malformed = image.includes('@');
      if (!malformed && env.imagesWithoutDigest !== undefined) continue;
      problems.push({
        env: env.name, resource: `${object.kind}/${object.metadata?.name}`, field,
        message: malformed
          ? `image '${image}' has a malformed digest: write <tag>@sha256:<64 lowercase hex digits>`
          : `image '${image}' is not pinned by digest: write its tag as <tag>@sha256:<digest> (Renovate keeps it current), or say why in imagesWithoutDigest`,
      });
    }
  }
  return problems;
}
