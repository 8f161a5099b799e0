/**
 * The data-plane cluster's id, as Kafka makes one: one in 64 random ids starts with '-', which
 * `kafka-storage format -t <id>` reads as an option (a run of this tier failed so).
 */
import { newClusterId } from './kafka-cluster';

test("an id that would start with '-' is drawn again", () => {
  const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
  expect(draws[0].toString('base64url')).toMatch(/^-/);
  const id = newClusterId(() => draws.shift()!);
  expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  expect(draws).toEqual([]);
});

test('ids are 22 URL-safe base64 characters, never starting with a dash', () => {
  for (let i = 0; i < 2000; i++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
});
