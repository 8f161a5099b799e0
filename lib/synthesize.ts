import { ApiObject, App, Chart } from 'cdk8s';
// Not re-exported by cdk8s' index; the same module its App uses to order a chart's objects.
import { DependencyGraph } from 'cdk8s/lib/dependency';
import type { StageChart } from '../constructs/stage-chart';
import { AlertStream } from '../constructs/alert-stream';
import type { StageId } from '../constructs/stages';
import { checkEnvironment, checkManifests, EnvironmentError } from '../constructs/rules';
import type { Environment } from '../constructs/alert-stream-props';
import { NO_TIMER, PhaseTimer } from './timing';
import { toYaml } from '../constructs/yaml';

type Timer = Pick<PhaseTimer, 'time'>;

/** A Kubernetes object as it is written to a manifest. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** The objects of one non-empty stage, and the file they are written to. */
export interface StageManifest {
  /** Position in the deployment order, from 0 (secrets); equal to every object's sync wave. */
  readonly stage: number;
  readonly id: StageId;
  /** `000N-<stage id>.k8s.yaml`, so a plain sort gives the deployment order. */
  readonly fileName: string;
  readonly objects: readonly KubeObject[];
}

/** `0003-kafka.k8s.yaml` */
export function stageFileName(stage: number, id: string): string {
  return `${String(stage).padStart(4, '0')}-${id}.k8s.yaml`;
}

/**
 * Checks the environment's rules, builds its stages, then checks that every
 * name an object reads resolves. Throws `EnvironmentError` listing every
 * problem; nothing is written here. Empty stages are left out.
 */
export function synthesizeEnvironment(env: Environment, timer: Timer = NO_TIMER): StageManifest[] {
  const charts = buildEnvironment(env, timer);
  const manifests = timer.time('construction', () => charts
    .map((chart, i) => ({
      stage: chart.stage,
      id: chart.node.id as StageId,
      fileName: stageFileName(chart.stage, chart.node.id),
      // The first chart's toJson prepares the whole app (dependencies, validation); cdk8s would repeat
      // that for every chart, so the others go straight to their objects, exactly as toJson lists them.
      objects: (i === 0 ? chart.toJson() : chartObjects(chart).map((o) => o.toJson())) as KubeObject[],
    }))
    .filter((manifest) => manifest.objects.length > 0));
  const problems = timer.time('rules', () => checkManifests(env, manifests.flatMap((m) => m.objects)));
  if (problems.length > 0) throw new EnvironmentError(problems);
  return manifests;
}

/** The objects of one chart in dependency order, as cdk8s' own `chartToKube` (lib/app.js) lists them. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject)
    .filter((x) => Chart.of(x) === chart);
}

/**
 * Checks the environment's rules, then builds its stage charts (the construct
 * tree, for callers that inspect constructs rather than manifests).
 */
export function buildEnvironment(env: Environment, timer: Timer = NO_TIMER): readonly StageChart[] {
  const problems = timer.time('rules', () => checkEnvironment(env));
  if (problems.length > 0) throw new EnvironmentError(problems);
  return timer.time('construction', () => {
    // The App only holds the charts: files are written by the caller, so outdir is never used.
    const app = new App({ outdir: '.' });
    try {
      return new AlertStream(app, 'alert-stream', env).stages;
    } catch (error) {
      throw new Error(`${env.name}: ${(error as Error).message}`, { cause: error });
    }
  });
}

/** The YAML text of a stage file: one document per object. */
export function renderManifest(manifest: StageManifest): string {
  return manifest.objects.map(toYaml).join('---\n');
}
