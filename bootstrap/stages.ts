import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGE_IDS } from '../constructs/stages';
import { environmentNames, environments, isEnvironmentName } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { parseManifests } from '../lib/manifests';

type KubeObject = Record<string, any>;

/** One stage to apply: its position, its name, and its objects with their readiness hints. */
export interface BootstrapStage {
  readonly stage: number;
  /** `0003-kafka`: the file name without its extension, also the Pulumi resource name. */
  readonly name: string;
  readonly objects: readonly KubeObject[];
}

/** A configuration mistake; Pulumi prints the message and stops before touching the cluster. */
export class BootstrapConfigError extends Error {}

/** How long Pulumi waits, in seconds (stack config `kafkaTimeout` / `operatorTimeout`). */
export interface ReadinessTimeouts {
  /** For the Kafka cluster: a rolling start of many brokers takes a while. */
  readonly kafka: number;
  /** For each topic, user and ScaledObject. */
  readonly operator: number;
}

export const DEFAULT_TIMEOUTS: ReadinessTimeouts = { kafka: 3600, operator: 900 };

/**
 * The kinds that hold or guard data: the node pools own the brokers' volume claims, Kafka the
 * cluster, topics the alerts, users the credentials clients hold. A stage with any of them is
 * protected (`pulumi destroy` refuses it until the documented unprotect step).
 */
export const DATA_BEARING_KINDS: readonly string[] = ['KafkaNodePool', 'Kafka', 'KafkaTopic', 'KafkaUser'];

/** Whether the stage applies an object of a data-bearing kind. */
export function isDataBearing(stage: BootstrapStage): boolean {
  return stage.objects.some((o) => DATA_BEARING_KINDS.includes(o.kind));
}

/**
 * Readiness hints for Pulumi's Kubernetes provider. Without `pulumi.com/waitFor`
 * a custom resource counts as ready at once, so every kind whose operator
 * reports a Ready condition is awaited on it: Kafka (which covers its node
 * pools: a KafkaNodePool reports no Ready condition and stays empty until the
 * Kafka resource exists), KafkaTopic, KafkaUser and KEDA's ScaledObject, and
 * the VaultSecret on its SecretCreated condition. The
 * StrimziSchemaRegistry reports nothing; the schema sync Job waits for the
 * registry's HTTP API itself, and Pulumi waits for that Job. Ingresses are
 * not awaited: Gafaelfawr's report their status only once Gafaelfawr runs, and a plain Ingress would wait
 * for a load-balancer address a new cluster's controller may never publish.
 */
export function withReadiness(object: KubeObject, timeouts: ReadinessTimeouts = DEFAULT_TIMEOUTS): KubeObject {
  const hints: Record<string, string> = {};
  switch (object.kind) {
    case 'Kafka':
      Object.assign(hints, { 'pulumi.com/waitFor': 'condition=Ready', 'pulumi.com/timeoutSeconds': String(timeouts.kafka) });
      break;
    case 'KafkaTopic':
    case 'KafkaUser':
    case 'ScaledObject':
      Object.assign(hints, { 'pulumi.com/waitFor': 'condition=Ready', 'pulumi.com/timeoutSeconds': String(timeouts.operator) });
      break;
    case 'VaultSecret':
      // Stage 0: the Secret must be written before the users of stage 3 read it.
      Object.assign(hints, { 'pulumi.com/waitFor': 'condition=SecretCreated', 'pulumi.com/timeoutSeconds': String(timeouts.operator) });
      break;
    case 'Ingress':
    case 'GafaelfawrIngress':
      hints['pulumi.com/skipAwait'] = 'true';
      break;
    default:
      return object;
  }
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata?.annotations, ...hints } } };
}

/** The stage (0-7) to stop after, from a number or a stage id; all stages when empty. */
export function parseStopAfter(value: string): number {
  const last = STAGE_IDS.length - 1;
  if (value.trim() === '') return last;
  const byNumber = Number(value);
  if (Number.isInteger(byNumber) && byNumber >= 0 && byNumber <= last) return byNumber;
  const byId = STAGE_IDS.indexOf(value as (typeof STAGE_IDS)[number]);
  if (byId >= 0) return byId;
  throw new BootstrapConfigError(
    `stopAfter '${value}' is not a stage; use 0-${last} or one of ${STAGE_IDS.join(', ')}`);
}

/** A timeout from the stack configuration: whole seconds, at least 1; the default when empty. */
export function parseTimeout(key: string, value: string, fallback: number): number {
  if (value.trim() === '') return fallback;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new BootstrapConfigError(`${key} '${value}' is not a number of seconds; use a whole number of at least 1, e.g. pulumi config set ${key} ${fallback}`);
  }
  return seconds;
}

/** The environment's namespace and stages, synthesized in-process (the same objects `npm run synth` writes). */
export function synthesizedStages(envName: string, timeouts: ReadinessTimeouts = DEFAULT_TIMEOUTS): { namespace: string; stages: BootstrapStage[] } {
  if (!envName) throw new BootstrapConfigError(`set the environment: pulumi config set env <name> (one of ${environmentNames.join(', ')})`);
  if (!isEnvironmentName(envName)) {
    throw new BootstrapConfigError(`unknown environment '${envName}'; known environments: ${environmentNames.join(', ')}`);
  }
  const env = environments[envName];
  const stages = synthesizeEnvironment(env).map((m) => ({
    stage: m.stage,
    name: m.fileName.replace(/\.k8s\.yaml$/, ''),
    objects: m.objects.map((o) => withReadiness(o, timeouts)),
  }));
  return { namespace: env.namespace, stages };
}

/** The stages of a synthesized folder `<dir>/<env>`: its `000N-*.k8s.yaml` files, in order. */
export function folderStages(dir: string, envName: string, timeouts: ReadinessTimeouts = DEFAULT_TIMEOUTS): { namespace: string; stages: BootstrapStage[] } {
  const folder = path.join(dir, envName);
  let files: string[];
  try {
    files = fs.readdirSync(folder).filter((f) => /^\d{4}-.+\.k8s\.yaml$/.test(f)).sort();
  } catch (error) {
    throw new BootstrapConfigError(`cannot read ${folder}: ${(error as NodeJS.ErrnoException).code}; run \`npm run synth -- --env ${envName} --out ${dir}\``);
  }
  if (files.length === 0) throw new BootstrapConfigError(`${folder} holds no stage files (000N-<stage>.k8s.yaml)`);
  const stages = files.map((file) => {
    const { objects, findings } = parseManifests([{ path: path.join(folder, file), text: fs.readFileSync(path.join(folder, file), 'utf8') }]);
    if (findings.length > 0) throw new BootstrapConfigError(`${findings[0].file}: ${findings[0].path}: ${findings[0].message}`);
    return { stage: Number(file.slice(0, 4)), name: file.replace(/\.k8s\.yaml$/, ''), objects: objects.map((o) => withReadiness(o.object, timeouts)) };
  });
  const namespaces = new Set(stages.flatMap((s) => s.objects.map((o) => o.metadata?.namespace)).filter(Boolean));
  if (namespaces.size !== 1) throw new BootstrapConfigError(`${folder}: expected one namespace, found ${[...namespaces].join(', ') || 'none'}`);
  return { namespace: [...namespaces][0] as string, stages };
}
