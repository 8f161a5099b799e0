/**
 * Topics, users, ACLs, secrets, registry, its ingress and the schema sync job
 * of both environments against the Phalanx inventory (§3–§6, §9), with the
 * intended values where the inventory lists a bug: retention is rendered, and
 * prod has its write-only `prompt-alert` user.
 */
import { environments } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects } from './helpers';

const communityBrokers = ['alerce-usdf', 'ampel-usdf', 'antares-usdf', 'babamul-usdf', 'fink-usdf', 'lasair-usdf', 'pittgoogle-usdf', 'poi-usdf', 'snaps-usdf'];
const expected = {
  'usdfdev-prompt-processing': {
    readonlyTopics: ['alerts-simulated', 'lsst-alerts-v10.0', 'lsst-alerts-reprocessed-v10.0', 'lsst-alerts-v11'],
    serviceAccounts: {
      'alert-test': ['Read', 'Write', 'Describe'],
      'prompt-alert': ['Write', 'Describe'],
    },
    serviceAccountTopics: ['alerts-simulated', 'lsst-alerts-v10.0', 'lsst-alerts-reprocessed-v10.0', 'lsst-alerts-v11', 'alert-stream-test'],
    vaultPath: 'secret/rubin/usdf-prompt-processing-dev/sasquatch',
    registryHost: 'rubin-alert-schemas-dev.slac.stanford.edu',
    passwordUsers: ['rubin-devel-idfint', ...communityBrokers, 'alert-test', 'prompt-alert'],
  },
  'usdfprod-prompt-processing': {
    readonlyTopics: ['alerts-simulated', 'lsst-alerts-v11'],
    serviceAccounts: { 'prompt-alert': ['Write', 'Describe'] },
    serviceAccountTopics: ['alerts-simulated', 'lsst-alerts-v11'],
    vaultPath: 'secret/rubin/usdf-prompt-processing/sasquatch',
    registryHost: 'rubin-alert-schemas.slac.stanford.edu',
    // prompt-alert is missing from Phalanx's prod render (values-key bug); it is intended.
    passwordUsers: ['rubin-devel-idfint', ...communityBrokers, 'prompt-alert'],
  },
} as const;

const topicAcl = (name: string, operations: readonly string[]) =>
  ({ type: 'allow', resource: { type: 'topic', name, patternType: 'literal' }, operations, host: '*' });

describe.each(Object.entries(expected))('%s', (name, want) => {
  const manifests = synthesizeEnvironment(environments[name as keyof typeof environments]);
  const objects = allObjects(manifests) as any[];
  const find = (kind: string, objectName: string) => objects.find((o) => o.kind === kind && o.metadata.name === objectName);
  const stageOf = (kind: string, objectName: string) => manifests.find((m) => m.objects.some((o) => o.kind === kind && o.metadata.name === objectName))?.stage;

  test('alert topics: partitions, replicas and the retention Phalanx never rendered', () => {
    const topics = objects.filter((o) => o.kind === 'KafkaTopic' && o.metadata.name !== 'registry-schemas');
    expect(topics.map((t) => [t.metadata.name, t.spec.partitions, t.spec.replicas, t.spec.config ?? null])).toEqual([
      ['alert-stream-test', 400, 3, null],
      ['alerts-simulated', 45, 3, null],
      ['lsst-alerts-v11', 45, 3, { 'retention.bytes': 300000000000, 'retention.ms': 2629740000 }],
    ]);
    for (const t of topics) {
      expect(t.apiVersion).toBe('kafka.strimzi.io/v1');
      expect(t.metadata.labels).toEqual({ 'strimzi.io/cluster': 'sasquatch' });
      expect(stageOf('KafkaTopic', t.metadata.name)).toBe(7);
    }
  });

  test('the password users, each reading <name>-password from Secret sasquatch', () => {
    const users = objects.filter((o) => o.kind === 'KafkaUser' && o.spec.authentication.type === 'scram-sha-512');
    // The manual's super user is a password user too, in the users' stage: the Kafka resource names only its
    // principal, so a password missing in Vault (the user NotReady) holds back no core wave.
    expect(users.map((u) => u.metadata.name).sort()).toEqual(['kafka-admin', ...want.passwordUsers].sort());
    for (const u of users) {
      expect(u.spec.authentication.password).toEqual({ valueFrom: { secretKeyRef: { name: 'sasquatch', key: `${u.metadata.name}-password` } } });
      expect(stageOf('KafkaUser', u.metadata.name)).toBe(7);
    }
  });

  test.each(communityBrokers)('community broker %s reads the community topics and owns its consumer groups', (user) => {
    expect(find('KafkaUser', user).spec.authorization).toEqual({
      type: 'simple',
      acls: [
        ...want.readonlyTopics.map((t) => topicAcl(t, ['Read', 'Describe', 'DescribeConfigs'])),
        { type: 'allow', resource: { type: 'group', name: user, patternType: 'prefix' }, operations: ['All'], host: '*' },
      ],
    });
  });

  test('developer rubin-devel-idfint reads every topic', () => {
    expect(find('KafkaUser', 'rubin-devel-idfint').spec.authorization.acls).toEqual([
      topicAcl('*', ['Read', 'Describe', 'DescribeConfigs']),
      { type: 'allow', resource: { type: 'group', name: 'rubin-devel-idfint', patternType: 'prefix' }, operations: ['All'], host: '*' },
    ]);
  });

  test('service accounts get their operations on their topics, and no group ACLs', () => {
    for (const [user, operations] of Object.entries(want.serviceAccounts)) {
      expect(find('KafkaUser', user).spec.authorization.acls).toEqual(want.serviceAccountTopics.map((t) => topicAcl(t, operations)));
    }
  });

  test('no community broker or developer can write', () => {
    for (const user of [...communityBrokers, 'rubin-devel-idfint']) {
      const ops = find('KafkaUser', user).spec.authorization.acls.filter((a: any) => a.resource.type === 'topic').flatMap((a: any) => a.operations);
      expect(ops).not.toContain('Write');
      expect(ops).not.toContain('All');
    }
  });

  test('VaultSecret sasquatch reads the environment path; no secret value anywhere', () => {
    expect(find('VaultSecret', 'sasquatch')).toMatchObject({
      apiVersion: 'ricoberger.de/v1alpha1',
      metadata: { namespace: 'sasquatch' },
      spec: { path: want.vaultPath, type: 'Opaque' },
    });
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/"(password|secretAccessKey|token)":\s*"[^"]/i);
  });

  test('schema registry (stage 4): tls listener, compatibility none, image, replicas, resources', () => {
    expect(find('StrimziSchemaRegistry', 'sasquatch-schema-registry')).toMatchObject({
      apiVersion: 'roundtable.lsst.codes/v1beta1',
      metadata: { labels: { 'strimzi.io/cluster': 'sasquatch' } },
      spec: {
        strimziVersion: 'v1', // Phalanx: v1beta2, deprecated and gone in Strimzi 1.x
        listener: 'tls',
        securityProtocol: 'SSL',
        compatibilityLevel: 'none',
        registryImage: 'confluentinc/cp-schema-registry',
        registryImageTag: '8.3.1',
        registryTopic: 'registry-schemas',
        replicas: 3,
        serviceType: 'ClusterIP',
        cpuRequest: '100m',
        cpuLimit: '1',
        memoryRequest: '1Gi',
        memoryLimit: '2Gi',
      },
    });
    expect(stageOf('StrimziSchemaRegistry', 'sasquatch-schema-registry')).toBe(4);
  });

  test('registry topic and user (stage 4)', () => {
    expect(find('KafkaTopic', 'registry-schemas').spec).toEqual({ partitions: 1, replicas: 3, config: { 'cleanup.policy': 'compact' } });
    expect(find('KafkaUser', 'sasquatch-schema-registry').spec).toEqual({
      authentication: { type: 'tls' },
      authorization: {
        type: 'simple',
        acls: [
          { type: 'allow', resource: { type: 'topic', name: 'registry-schemas', patternType: 'literal' }, operations: ['Read'] },
          { type: 'allow', resource: { type: 'topic', name: 'registry-schemas', patternType: 'literal' }, operations: ['Write'] },
          { type: 'allow', resource: { type: 'topic', name: 'registry-schemas', patternType: 'literal' }, operations: ['DescribeConfigs'] },
          { type: 'allow', resource: { type: 'group', name: 'schema-registry', patternType: 'prefix' }, operations: ['All'] },
          { type: 'allow', resource: { type: 'topic', name: '__consumer_offsets', patternType: 'literal' }, operations: ['Describe'] },
        ],
      },
    });
    expect(stageOf('KafkaTopic', 'registry-schemas')).toBe(4);
    expect(stageOf('KafkaUser', 'sasquatch-schema-registry')).toBe(4);
  });

  test('registry ingress (stage 5): anonymous, GET only, on the registry host', () => {
    const ingress = find('GafaelfawrIngress', 'sasquatch-schema-registry');
    expect(ingress.config).toEqual({ scopes: { anonymous: true } });
    expect(ingress.template.metadata.annotations['nginx.ingress.kubernetes.io/rewrite-target']).toBe('/$2');
    expect(ingress.template.metadata.annotations['nginx.ingress.kubernetes.io/configuration-snippet']).toContain('limit_except GET { deny all; }');
    expect(ingress.template.spec.rules).toEqual([{
      host: want.registryHost,
      http: { paths: [{
        path: '/schema-registry(/|$)(.*)',
        pathType: 'ImplementationSpecific',
        backend: { service: { name: 'sasquatch-schema-registry', port: { number: 8081 } } },
      }] },
    }]);
    expect(stageOf('GafaelfawrIngress', 'sasquatch-schema-registry')).toBe(5);
  });

  test('schema sync job: a PostSync hook nothing waits on, after the registry is ready, bounded, replaced each sync', () => {
    const job = find('Job', 'sasquatch-sync-schema');
    // PostSync: it runs once every wave is applied and healthy, and no object waits on it, so a job that
    // cannot start (a bad image tag) or fails holds nothing back.
    expect(job.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    const waves = manifests.flatMap((m) => m.objects.map((o) => ({ o, wave: Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']) })));
    // No other object is a hook: nothing else runs after it, or in its phase.
    expect(waves.filter(({ o }) => o.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined).map(({ o }) => `${o.kind}/${o.metadata.name}`)).toEqual(['Job/sasquatch-sync-schema']);
    // The core waves hold no user: kafka-admin, like every other password user, is in the last wave.
    for (const { o, wave: w } of waves.filter(({ o }) => o.kind === 'KafkaUser' && o.metadata.name !== 'sasquatch-schema-registry')) {
      expect([o.metadata.name, w]).toEqual([o.metadata.name, 7]);
    }
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.spec.activeDeadlineSeconds).toBe(1800);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.initContainers[0]).toMatchObject({ name: 'wait-for-registry', image: 'lsstdm/lsst_alert_packet:w.2026.28' });
    expect(pod.initContainers[0].command.at(-1)).toBe('http://sasquatch-schema-registry:8081');
    // A read-only root filesystem, and a writable /tmp in both containers, as in every other pod.
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    // The load (an init container, after the wait), then the check that makes Succeeded mean the schemas are there.
    expect(pod.initContainers[1]).toMatchObject({
      name: 'sync-schema-job',
      image: 'lsstdm/lsst_alert_packet:w.2026.28',
      imagePullPolicy: 'IfNotPresent',
      command: ['syncAllSchemasToRegistry'],
      args: ['--schema-registry-url=http://sasquatch-schema-registry:8081', '--subject=alert-packet'],
    });
    expect(pod.containers.map((c: any) => c.name)).toEqual(['check-schemas']);
    expect(pod.containers[0].command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(pod.containers[0].command.slice(3)).toEqual(['http://sasquatch-schema-registry:8081', 'alert-packet']);
    expect(job.spec.template.metadata.annotations).toEqual({ description: 'Load schemas into registry.' });
  });
});
