import { environments } from '../../lib/environments';
import { validateObjects } from '../../lib/schema-validation';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, sharedCrdCatalog, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
const synth = (env: typeof prod) => allObjects(synthesizeEnvironment(env)) as any[];
const names = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);

describe('optional components', () => {
  test('Cruise Control metrics add their ConfigMap and the metricsConfig that reads it', () => {
    const objects = synth(withChanges(prod, { monitoring: { cruiseControlMetrics: true } }));
    expect(names(objects, 'ConfigMap')).toEqual(['kafka-metrics', 'kafka-cruise-control-metrics']);
    expect(objects.find((o) => o.kind === 'Kafka').spec.cruiseControl.metricsConfig).toEqual({
      type: 'jmxPrometheusExporter',
      valueFrom: { configMapKeyRef: { name: 'kafka-cruise-control-metrics', key: 'metrics-config.yml' } },
    });
    expect(validateObjects(objects, sharedCrdCatalog())).toEqual([]);
  });

  test('PodMonitors can be left out, keeping the JMX metrics', () => {
    const objects = synth(withChanges(prod, { monitoring: { podMonitors: false } }));
    expect(names(objects, 'PodMonitor')).toEqual([]);
    expect(names(objects, 'ConfigMap')).toEqual(['kafka-metrics']);
  });

  test('without monitoring there are no metrics objects and no metricsConfig', () => {
    const objects = synth({ ...prod, monitoring: undefined });
    expect(names(objects, 'PodMonitor')).toEqual([]);
    expect(names(objects, 'ConfigMap')).toEqual([]);
    expect(objects.find((o) => o.kind === 'Kafka').spec.kafka).not.toHaveProperty('metricsConfig');
  });

  test('the archive server is optional; the ingester stays', () => {
    const objects = synth({ ...prod, alertDatabase: { ...prod.alertDatabase!, server: undefined } });
    expect(names(objects, 'Deployment')).toEqual(['alert-database-ingester-1.0.0', 'kafbat']);
    expect(names(objects, 'Service')).toEqual(['kafbat']);
    expect(names(objects, 'ServiceAccount')).toEqual(['alert-database-writer']);
  });

  test('Kafbat is optional, and with it goes its KafkaUser', () => {
    const objects = synth({ ...prod, kafbat: undefined });
    expect(names(objects, 'Deployment')).toEqual(['alert-database-ingester-1.0.0', 'alert-database-server-1.0.0']);
    expect(names(objects, 'KafkaUser')).not.toContain('kafbat');
  });

  test('the S3 region and the ingester resources can be set', () => {
    const env = withChanges(prod, {
      alertDatabase: {
        storage: { region: 'us-west-2' },
        ingester: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } } },
      },
    });
    const ingester = synth(env).find((o) => o.metadata.name === 'alert-database-ingester-1.0.0' && o.kind === 'Deployment');
    const [container] = ingester.spec.template.spec.containers;
    expect(container.env.filter((e: any) => e.name.endsWith('REGION')).map((e: any) => e.value)).toEqual(['us-west-2', 'us-west-2']);
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '2', 'memory': '2Gi', 'ephemeral-storage': '1Gi' },
    });
  });
});

describe('clusters without KEDA, S3 or Vault', () => {
  test('without autoscaling the ingester runs one replica and no KEDA objects exist', () => {
    const objects = synth({ ...prod, alertDatabase: { ...prod.alertDatabase!, ingester: { ...prod.alertDatabase!.ingester, autoscaling: undefined } } });
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'alert-database-ingester-1.0.0').spec.replicas).toBe(1);
    expect(names(objects, 'ScaledObject')).toEqual([]);
    expect(names(objects, 'TriggerAuthentication')).toEqual([]);
  });

  test('without the alert database there is no ingester, server or S3 key', () => {
    const objects = synth({ ...prod, alertDatabase: undefined });
    expect(names(objects, 'Deployment')).toEqual(['kafbat']);
    expect(JSON.stringify(objects)).not.toContain('AWS_ACCESS_KEY_ID');
  });

  test('without a Vault path there is no VaultSecret; the Secret is created by hand', () => {
    const objects = synth({ ...prod, vaultPathPrefix: undefined });
    expect(names(objects, 'VaultSecret')).toEqual([]);
    expect(objects.find((o) => o.metadata.name === 'fink-usdf').spec.authentication.password.valueFrom.secretKeyRef.name).toBe('sasquatch');
  });
});
