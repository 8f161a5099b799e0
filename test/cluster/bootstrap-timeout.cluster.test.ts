/**
 * A Kafka that never becomes ready: the stand-in operators (test code) never report it, and
 * `pulumi up` (real engine and provider, test API server) must fail within kafkaTimeout, name
 * the stage and the object, and create nothing of a later stage.
 */
import { BootstrapWorld, createdAt, startBootstrapWorld, upInOwnProcess } from './bootstrap-fixture';

const KAFKA_TIMEOUT_SECONDS = 20;
let world: BootstrapWorld;

beforeAll(async () => {
  world = await startBootstrapWorld({ delayMs: 500, neverReady: ['Kafka'] }, { kafkaTimeout: String(KAFKA_TIMEOUT_SECONDS) });
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

test('pulumi up fails within kafkaTimeout, naming the stage and the Kafka, and creates no later stage', async () => {
  const { ok, message, seconds } = await upInOwnProcess(world);
  expect(ok).toBe(false);
  expect(message).toMatch(/0003-kafka/);
  expect(message).toMatch(/kafka\.strimzi\.io\/v1:Kafka/);
  expect(message).toMatch(/sasquatch\/sasquatch/);
  expect(seconds).toBeGreaterThanOrEqual(KAFKA_TIMEOUT_SECONDS);
  expect(seconds).toBeLessThan(KAFKA_TIMEOUT_SECONDS + 120);

  const log = world.standIn.log;
  expect(createdAt(log, 'Kafka', 'sasquatch')).toBeDefined();
  const later = world.stages.filter((s) => s.stage > 3).flatMap((s) => s.objects)
    .filter((o) => createdAt(log, o.kind, o.metadata.name) !== undefined).map((o) => `${o.kind}/${o.metadata.name}`);
  expect(later).toEqual([]);
}, 600_000);
