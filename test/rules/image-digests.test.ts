import { checkImageDigests } from '../../constructs/rules';
import { imagesOf, PINNED_IMAGE } from '../../constructs/rules/image-digests';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, withChanges } from '../helpers';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('the pinned-image form', () => {
  test.each([
    [`lsstdm/alert_database_server:v4.0.0@${DIGEST}`, true],
    [`ghcr.io/kafbat/kafka-ui:v1.5.0@${DIGEST}`, true],
    ['lsstdm/alert_database_server:v4.0.0', false],
    [`lsstdm/alert_database_server@${DIGEST}`, false], // the tag is kept for people
    [`lsstdm/alert_database_server:v4.0.0@sha256:${'0'.repeat(63)}`, false],
    [`lsstdm/alert_database_server:v4.0.0@sha256:${'A'.repeat(64)}`, false],
    [`lsstdm/alert_database_server:v4.0.0@sha512:${'0'.repeat(64)}`, false],
    [`lsstdm/alert_database_server:v4.0.0@${DIGEST} `, false],
    [` lsstdm/alert_database_server:v4.0.0@${DIGEST}`, false],
    [`:v4.0.0@${DIGEST}`, false],
    [`a:.v4@${DIGEST}`, false],
  ])('%s pinned: %s', (image, pinned) => {
    expect(PINNED_IMAGE.test(image)).toBe(pinned);
  });
});

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const strict = { ...env, imagesWithoutDigest: undefined };

  test('every workload image and the registry image are found', () => {
    const images = objects.flatMap((o) => imagesOf(o).map((i) => `${o.kind}/${o.metadata.name} ${i.field}`));
    expect(images).toContain('StrimziSchemaRegistry/sasquatch-schema-registry spec.registryImageTag');
    expect(images).toContain('Job/sasquatch-sync-schema spec.template.spec.initContainers[0].image');
    expect(images).toContain('Job/sasquatch-sync-schema spec.template.spec.initContainers[1].image');
    expect(images).toContain('Job/sasquatch-sync-schema spec.template.spec.containers[0].image');
    expect(images).toContain('Deployment/kafbat spec.template.spec.containers[0].image');
  });

  test('an unpinned image is refused, naming the object and the field, unless the environment says why', () => {
    expect(env.imagesWithoutDigest).toBeTruthy();
    expect(checkImageDigests(env, objects)).toEqual([]);
    const problems = checkImageDigests(strict, objects);
    const job = problems.find((p) => p.resource === 'Job/sasquatch-sync-schema' && p.field === 'spec.template.spec.containers[0].image');
    expect(job).toEqual({
      env: env.name, resource: 'Job/sasquatch-sync-schema', field: 'spec.template.spec.containers[0].image',
      message: `image 'lsstdm/lsst_alert_packet:${env.schemaSync.imageTag}' is not pinned by digest: write its tag as <tag>@sha256:<digest> (Renovate keeps it current), or say why in imagesWithoutDigest`,
    });
    expect(problems.length).toBe(objects.flatMap(imagesOf).filter((i) => !PINNED_IMAGE.test(i.image)).length);
  });

  test('pinned images pass, and the environment synthesizes with them', () => {
    const pinned = withChanges(strict, { schemaSync: { imageTag: `${env.schemaSync.imageTag}@${DIGEST}` } });
    const pinnedObjects = allObjects(synthesizeEnvironment({ ...pinned, imagesWithoutDigest: env.imagesWithoutDigest })) as any[];
    const job = pinnedObjects.find((o) => o.kind === 'Job');
    expect(checkImageDigests(strict, [job])).toEqual([]);
    // No acceptance of checkov's digest check on an object whose images are all pinned.
    expect(job.metadata.annotations['checkov.io/skip-CKV_K8S_43']).toBeUndefined();
    // Still accepted, with the environment's reason, on each object with an unpinned image.
    const registry = pinnedObjects.find((o) => o.kind === 'StrimziSchemaRegistry');
    expect(registry.metadata.annotations['checkov.io/skip-CKV_K8S_43']).toBe(`CKV_K8S_43=${env.imagesWithoutDigest}`);
  });

  test('a malformed digest is refused even where unpinned images are allowed', () => {
    const job = objects.find((o) => o.kind === 'Job');
    const broken = { ...job, spec: { ...job.spec, template: { ...job.spec.template, spec: { ...job.spec.template.spec,
      containers: [{ ...job.spec.template.spec.containers[0], image: 'lsstdm/lsst_alert_packet:w.2026.28@sha256:abc' }] } } } };
    expect(checkImageDigests(env, [broken])).toEqual([{
      env: env.name, resource: 'Job/sasquatch-sync-schema', field: 'spec.template.spec.containers[0].image',
      message: "image 'lsstdm/lsst_alert_packet:w.2026.28@sha256:abc' has a malformed digest: write <tag>@sha256:<64 lowercase hex digits>",
    }]);
  });
});

test('an object without a name is still named', () => {
  const env = Object.values(environments)[0];
  expect(checkImageDigests({ ...env, imagesWithoutDigest: undefined }, [{ kind: 'Pod', spec: { containers: [{ image: 'a:1' }] } }]).map((p) => p.resource))
    .toEqual(['Pod/undefined']);
});

test('kinds without pods and a registry without an image set none', () => {
  expect(imagesOf({ kind: 'ConfigMap' })).toEqual([]);
  expect(imagesOf({ kind: 'StrimziSchemaRegistry', spec: {} })).toEqual([]);
  expect(imagesOf({ kind: 'StrimziSchemaRegistry' })).toEqual([]);
  expect(imagesOf({ kind: 'Deployment' })).toEqual([]);
  const pod = { containers: [{ image: 'a:1' }] };
  expect(imagesOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: pod } } } } }))
    .toEqual([{ field: 'spec.jobTemplate.spec.template.spec.containers[0].image', image: 'a:1' }]);
  expect(imagesOf({ kind: 'Pod', spec: pod })).toEqual([{ field: 'spec.containers[0].image', image: 'a:1' }]);
  // Malformed objects (validate reads files) set no image and break nothing.
  for (const object of [
    { kind: 'StatefulSet' }, { kind: 'StatefulSet', spec: {} }, { kind: 'DaemonSet' }, { kind: 'DaemonSet', spec: {} },
    { kind: 'Deployment', spec: {} }, { kind: 'Job' }, { kind: 'Pod' },
    { kind: 'CronJob' }, { kind: 'CronJob', spec: {} }, { kind: 'CronJob', spec: { jobTemplate: {} } }, { kind: 'CronJob', spec: { jobTemplate: { spec: {} } } },
  ]) {
    expect(imagesOf(object)).toEqual([]);
  }
  for (const kind of ['StatefulSet', 'DaemonSet']) {
    expect(imagesOf({ kind, spec: { template: { spec: pod } } })).toEqual([{ field: 'spec.template.spec.containers[0].image', image: 'a:1' }]);
  }
});
