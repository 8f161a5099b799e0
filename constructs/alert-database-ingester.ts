import { Construct } from 'constructs';
import { ScaledObject } from '../imports/keda-scaledobject-keda.sh';
import { TriggerAuthentication } from '../imports/keda-triggerauthentication-keda.sh';
import type { KafkaCluster } from './kafka-cluster';
import { KafkaUserAccount } from './kafka-user';
import { AlertArchiveStorage, s3Environment } from './alert-archive-storage';
import { IntOrString, KubePodDisruptionBudget } from './k8s';
import { ServiceAccount } from './plus';
import { RestrictedDeployment } from './restricted-deployment';
import { SCHEMA_REGISTRY_PORT } from './schema-registry';
import { WorkloadNetworkPolicy } from './workload-network-policy';
import type { Resources } from './types';
import type { VaultBackedSecret } from './vault-secret';
import type { Count, ImageTag, ObjectName, PositiveCount, Seconds, TopicName } from './types';

/** KEDA scaling of the ingester on its consumer lag. */
export interface IngesterAutoscaling {
  readonly minReplicas: Count;
  /** At most the topic's partition count: more consumers than partitions sit idle. */
  readonly maxReplicas: PositiveCount;
  /** Seconds after the last active trigger before scaling back to `minReplicas`. */
  readonly cooldownSeconds: Seconds;
  /** @default 30 */
  readonly pollingIntervalSeconds?: PositiveCount;
  /** Lag per replica KEDA aims for. @default 100 */
  readonly lagThreshold?: PositiveCount;
  /** Lag at which scaling starts at all. @default 10 */
  readonly activationLagThreshold?: Count;
}

/** The operator's decisions for the ingester. */
export interface AlertDatabaseIngesterOptions {
  /** Tag of `lsstdm/alert_database_ingester`. */
  readonly imageTag: ImageTag;
  /** The alert topic it archives. */
  readonly topic: TopicName;
  /** @default 'alert-database-ingester' */
  readonly serviceAccountName?: ObjectName;
  /** @default - one replica, no KEDA (clusters without KEDA) */
  readonly autoscaling?: IngesterAutoscaling;
  /** @default - 100m CPU / 256Mi requested, 1 CPU / 1Gi limit */
  readonly resources?: Resources;
}

export interface AlertDatabaseIngesterProps extends AlertDatabaseIngesterOptions {
  readonly kafka: KafkaCluster;
  /** Registry URL from the ingester's namespace. */
  readonly registryUrl: string;
  /** Labels of the schema registry's pods (egress to them on SCHEMA_REGISTRY_PORT). */
  readonly registryPodLabels: Readonly<Record<string, string>>;
  readonly storage: AlertArchiveStorage;
  /** The Secret holding the S3 keys. */
  readonly secret: VaultBackedSecret;
}

/** Phalanx's names (chart name and version), kept so Argo CD adopts the running objects. */
const NAME = 'alert-database-ingester-1.0.0';
const USER = 'alert-database-ingester';
const CONSUMER_GROUP = 'alertdb-ingester';
const CLIENT_SECRET_DIR = '/etc/kafka-client-secret';
const SERVER_CA_DIR = '/etc/kafka-server-ca-cert';
const DEFAULT_RESOURCES: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/**
 * The ingester's health, from inside its pod: exit 0 while the pod holds a TCP connection to a broker's port
 * (argv[1]) in one of the states listed (argv[2], /proc's hex codes: 01 ESTABLISHED, 02 SYN_SENT), 1 otherwise. The
 * image has no health command or port, but its one process is an aiokafka consumer in a group, which keeps a
 * connection to the group coordinator (heartbeats every 3 s) for as long as it consumes, and reconnects when it
 * loses one; the pod's network namespace holds no other connection to that port. Reads /proc/net/tcp{,6} with the
 * image's own Python, so it writes nothing (read-only root filesystem). test/constructs/ingester-probe.test.ts runs it.
 */
const ESTABLISHED = '01';
const SYN_SENT = '02';
export const BROKER_CONNECTION_CHECK = [
  'import sys',
  "port, states = ':%04X' % int(sys.argv[1]), sys.argv[2].split(',')",
  'def rows(table):',
  '    try:',
  '        with open(table) as f:',
  '            return [row.split() for row in f.read().splitlines()[1:]]',
  '    except OSError:',
  '        return []',
  "connected = any(len(r) > 3 and r[2].endswith(port) and r[3] in states for t in ('/proc/net/tcp', '/proc/net/tcp6') for r in rows(t))",
  'sys.exit(0 if connected else 1)',
].join('\n');

/**
 * Probes on the broker connection, each as patient as its consequence. Startup allows 5 minutes to connect. Readiness
 * (connected: it gates a rollout, so a new pod that cannot reach Kafka stops it at one pod) drops after a minute
 * without a connection. Liveness (connected or connecting: a consumer retrying a broker that is down is alive) restarts
 * only after 10 minutes of neither, so a rolling broker restart, a Kafka outage it recovers from or a slow write to S3
 * (the connection stays up) never restarts it.
 */
function brokerConnectionProbes(port: number) {
  const check = (states: string) => ({ command: ['python', '-c', BROKER_CONNECTION_CHECK, String(port), states] });
  return {
    startupProbe: { exec: check(ESTABLISHED), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
    readinessProbe: { exec: check(ESTABLISHED), periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 2 },
    livenessProbe: { exec: check(`${ESTABLISHED},${SYN_SENT}`), periodSeconds: 60, timeoutSeconds: 5, failureThreshold: 10 },
  };
}
/**
 * The alert archive ingester: reads alerts from Kafka over mutual TLS and
 * writes them and their schemas to S3. KEDA scales it on consumer lag, so the
 * Deployment has no `replicas` of its own (one replica without autoscaling).
 */
export class AlertDatabaseIngester extends Construct {
  public readonly user: KafkaUserAccount;

  constructor(scope: Construct, id: string, props: AlertDatabaseIngesterProps) {
    super(scope, id);
    const serviceAccountName = props.serviceAccountName ?? USER;
    const caSecret = props.kafka.clusterCaCertSecret;
    this.user = new KafkaUserAccount(this, 'User', {
      clusterName: props.kafka.clusterName,
      username: USER,
      authentication: { type: 'tls' },
      acls: [
        { resource: { type: 'topic', name: props.topic }, operations: ['Read', 'Describe'] },
        // Its own consumer group only (Phalanx grants Read on every group).
        { resource: { type: 'group', name: CONSUMER_GROUP }, operations: ['Read', 'Describe'] },
      ],
    });

    new ServiceAccount(this, 'ServiceAccount', { metadata: { name: serviceAccountName }, automountToken: false });

    const deployment = new RestrictedDeployment(this, 'Deployment', {
      name: NAME,
      // While KEDA owns the replica count, a replicas field here would fight it on every sync.
      replicas: props.autoscaling ? undefined : 1,
      serviceAccountName,
      terminationGracePeriodSeconds: 60,
      resources: props.resources ?? DEFAULT_RESOURCES,
      acceptedCheckov: {
        CKV_K8S_35: 'the S3 keys are environment variables because the ingester reads them only from its environment (boto3)',
      },
      container: {
        name: 'alert-database-ingester',
        image: `lsstdm/alert_database_ingester:${props.imageTag}`,
        imagePullPolicy: 'IfNotPresent',
        command: ['alertdb-ingester'],
        args: [
          `--kafka-host=${props.kafka.bootstrapServers('tls', 'same-namespace')}`,
          `--kafka-topics=${props.topic}`,
          `--tls-client-key-location=${CLIENT_SECRET_DIR}/user.key`,
          `--tls-client-crt-location=${CLIENT_SECRET_DIR}/user.crt`,
          `--tls-server-ca-crt-location=${SERVER_CA_DIR}/ca.crt`,
          '--kafka-auth-mechanism=mtls',
          `--schema-registry-address=${props.registryUrl}`,
          `--endpoint-url=${props.storage.endpointUrl}`,
          `--bucket-alerts=${props.storage.alertBucket}`,
          `--bucket-schemas=${props.storage.schemaBucket}`,
          '--verbose',
        ],
        env: s3Environment(props.storage, props.secret, `Deployment/${NAME}`),
        ...brokerConnectionProbes(props.kafka.listenerPort('tls')),
        volumeMounts: [
          { name: 'kafka-client-secret', mountPath: CLIENT_SECRET_DIR, readOnly: true },
          { name: 'kafka-server-ca-cert', mountPath: SERVER_CA_DIR, readOnly: true },
        ],
      },
      volumes: [
        { name: 'kafka-client-secret', secret: { secretName: USER } },
        { name: 'kafka-server-ca-cert', secret: { secretName: caSecret } },
      ],
    });

    new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: NAME,
      podLabels: deployment.podLabels,
      pods: [
        { podLabels: props.kafka.brokerPodLabels, ports: [props.kafka.listenerPort('tls')] },
        { podLabels: props.registryPodLabels, ports: [SCHEMA_REGISTRY_PORT] },
      ],
      externalUrl: props.storage.endpointUrl,
      ingress: 'none',
    });

    if (props.autoscaling) this.autoscale(props, props.autoscaling, caSecret);
    // With KEDA running more than one replica, a node drain takes one at a time.
    if (props.autoscaling && props.autoscaling.maxReplicas > 1) {
      // L1: cdk8s-plus-28 has no PodDisruptionBudget construct.
      new KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: { name: NAME },
        spec: {
          maxUnavailable: IntOrString.fromNumber(1),
          selector: { matchLabels: { ...deployment.podLabels } },
          // While Kafka is down every ingester is unready (its readiness probe): such pods may still be evicted, so a
          // Kafka outage does not also block draining the nodes they run on.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }
  }

  /** KEDA's ScaledObject on consumer lag, and the TriggerAuthentication with the ingester's certificate. */
  private autoscale(props: AlertDatabaseIngesterProps, scaling: IngesterAutoscaling, caSecret: string): void {
    const authName = `${NAME}-kafka-auth`;
    new TriggerAuthentication(this, 'TriggerAuthentication', {
      metadata: { name: authName },
      spec: {
        secretTargetRef: [
          { parameter: 'ca', name: caSecret, key: 'ca.crt' },
          { parameter: 'cert', name: USER, key: 'user.crt' },
          { parameter: 'key', name: USER, key: 'user.key' },
        ],
      },
    });
    new ScaledObject(this, 'ScaledObject', {
      metadata: { name: NAME },
      spec: {
        scaleTargetRef: { name: NAME },
        pollingInterval: scaling.pollingIntervalSeconds ?? 30,
        cooldownPeriod: scaling.cooldownSeconds,
        minReplicaCount: scaling.minReplicas,
        maxReplicaCount: scaling.maxReplicas,
        triggers: [{
          type: 'kafka',
          // KEDA trigger metadata is map[string]string: every value is a string.
          metadata: {
            bootstrapServers: props.kafka.bootstrapServers('tls'),
            consumerGroup: CONSUMER_GROUP,
            topic: props.topic,
            lagThreshold: String(scaling.lagThreshold ?? 100),
            activationLagThreshold: String(scaling.activationLagThreshold ?? 10),
            offsetResetPolicy: 'latest',
            tls: 'enable',
          },
          authenticationRef: { name: authName },
        }],
      },
    });
  }
}
