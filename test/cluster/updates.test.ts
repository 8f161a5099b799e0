import { environments } from '../../environments';
import { ClusterClient } from '../../lib/cluster-client';
import { planChanges } from '../../lib/plan';
import type { LocatedObject } from '../../lib/validate';
import { ApiServer, startApiServer } from './api-server';
import { applyAll, createNamespace, environmentObjects, installSharedCrds, problems } from './cluster-helpers';

const find = (objects: LocatedObject[], kind: string, name: string) =>
  objects.find((l) => l.object.kind === kind && l.object.metadata.name === name)!.object;

/**
 * Updates on a real API server: what `plan` calls safe is accepted, and each change the server
 * refuses on update is flagged by `plan` (immutable-field-change) before it gets there.
 */
describe('updates on a real API server', () => {
  let server: ApiServer;
  let client: ClusterClient;

  beforeAll(async () => {
    server = await startApiServer();
    client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await installSharedCrds(client);
  });
  afterAll(() => server?.stop());

  test('from an earlier output to the current one: plan finds it safe and the server accepts every object', async () => {
    await createNamespace(client, 'safe-update');
    const current = environmentObjects(environments['usdfprod-prompt-processing'], 'safe-update');
    // The earlier state: fewer partitions, smaller disks, an older Kafka and image, other broker
    // config, and a topic and a user that did not exist yet.
    const earlier = structuredClone(current).filter((l) => !['alerts-simulated', 'fink-usdf'].includes(l.object.metadata.name));
    find(earlier, 'KafkaTopic', 'lsst-alerts-v11').spec.partitions = 30;
    find(earlier, 'KafkaNodePool', 'kafka').spec.storage.volumes[0].size = '30Ti';
    find(earlier, 'Kafka', 'sasquatch').spec.kafka.version = '4.0.0';
    find(earlier, 'Kafka', 'sasquatch').spec.kafka.config['log.retention.minutes'] = 4320;
    find(earlier, 'Deployment', 'kafbat').spec.template.spec.containers[0].image = 'ghcr.io/kafbat/kafka-ui:v1.0.0';

    const plan = planChanges(earlier, current);
    expect(plan.unsafe).toEqual([]);
    expect(plan.changes.map((c) => `${c.action} ${c.object}`).sort()).toEqual([
      'added KafkaTopic/alerts-simulated', 'added KafkaUser/fink-usdf', 'changed Deployment/kafbat',
      'changed Kafka/sasquatch', 'changed KafkaNodePool/kafka', 'changed KafkaTopic/lsst-alerts-v11',
    ]);

    expect(problems('usdfprod (earlier)', await applyAll(client, earlier, false))).toEqual([]);
    expect(problems('usdfprod', await applyAll(client, current, false))).toEqual([]);
    expect((await client.read(find(current, 'KafkaTopic', 'lsst-alerts-v11')))?.spec.partitions).toBe(45);
    expect((await client.read(find(current, 'Kafka', 'sasquatch')))?.spec.kafka.version).toBe('4.1.0');
  });

  const claim = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'test-claim' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
  };
  const statefulSet = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'test-set' },
    spec: {
      serviceName: 'test-set',
      selector: { matchLabels: { app: 'test-set' } },
      template: { metadata: { labels: { app: 'test-set' } }, spec: { containers: [{ name: 'c', image: 'example/c:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: claim.spec }],
    },
  };
  const prod = () => environmentObjects(environments['usdfprod-prompt-processing'], 'unsafe-updates');
  const plainJob = () => {
    const job = structuredClone(find(prod(), 'Job', 'sasquatch-sync-schema'));
    // Not an Argo CD hook: nothing deletes it before the update.
    delete job.metadata.annotations['argocd.argoproj.io/hook'];
    delete job.metadata.annotations['argocd.argoproj.io/hook-delete-policy'];
    return job;
  };

  test.each<[string, () => Record<string, any>, (o: Record<string, any>) => void, RegExp]>([
    ['a Deployment selector', () => find(prod(), 'Deployment', 'kafbat'), (o) => {
      o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'kafbat-ui';
      o.spec.template.metadata.labels['app.kubernetes.io/name'] = 'kafbat-ui';
    }, /spec\.selector: Invalid value: .*field is immutable/],
    ['a Job template (not a hook)', plainJob, (o) => { o.spec.template.spec.containers[0].image = 'lsstdm/lsst_alert_packet:w.2026.30'; },
      /spec\.template: Invalid value: .*field is immutable/],
    ['a Service clusterIP', () => find(prod(), 'Service', 'kafbat'), (o) => { o.spec.clusterIP = '10.96.255.254'; },
      /spec\.clusterIPs\[0\]: Invalid value: .*may not change once set/],
    ['a PVC storage class', () => structuredClone(claim), (o) => { o.spec.storageClassName = 'slow'; },
      /spec: Forbidden: spec is immutable after creation/],
    ['a StatefulSet volumeClaimTemplates', () => structuredClone(statefulSet), (o) => { o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi'; },
      /spec: Forbidden: updates to statefulset spec for fields other than/],
    ['an immutable ConfigMap', () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-frozen' }, immutable: true, data: { a: '1' } }),
      (o) => { o.data.a = '2'; }, /data: Forbidden: field is immutable when `immutable` is set/],
  ])('%s: plan flags the change, and the server refuses it', async (_what, make, edit, refusal) => {
    await createNamespace(client, 'unsafe-updates');
    const made = make();
    const before: Record<string, any> = { ...made, metadata: { ...made.metadata, namespace: 'unsafe-updates' } };
    const after = structuredClone(before);
    edit(after);
    const file = '0006-services.k8s.yaml';

    const plan = planChanges([{ file, object: before }], [{ file, object: after }]);
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'immutable-field-change', object: `${before.kind}/${before.metadata.name}`, allowed: false })]);

    expect(problems('unsafe-updates', await applyAll(client, [{ file, object: before }], false))).toEqual([]);
    const [{ result }] = await applyAll(client, [{ file, object: after }], false);
    expect(result.rejection).toEqual(expect.objectContaining({ code: 422, reason: 'Invalid' }));
    expect(result.rejection!.message).toMatch(refusal);
  });
});
