import Decimal from 'decimal.js';
import * as semver from 'semver';

/** Enough digits that no quantity Kubernetes accepts is ever rounded (2^60 × a long mantissa). */
const Exact = Decimal.clone({ precision: 200, toExpPos: 9e15, toExpNeg: -9e15 });

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * Kubernetes' quantity grammar (k8s.io/apimachinery/pkg/api/resource): a signed decimal number, then a
 * binary suffix, a decimal exponent (`e3`, `E-2`) or a decimal suffix (`n`, `u`, `m`, none, `k` … `E`).
 */
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E)?)$/;

/**
 * The exact value of a Kubernetes quantity (`35Ti`, `1.5Gi`, `100n`, `1e12`, `500m`, a plain number);
 * undefined when it is not one. Exact: `1Ti` and `1099511627776` are equal, not nearly equal.
 */
export function parseQuantity(value: unknown): Decimal | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Exact(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, number, binary, exponent, decimal] = match;
  // decimal.js reads every number form of the grammar, `5.` and `.5` included.
  const mantissa = new Exact(number);
  if (binary !== undefined) return mantissa.times(new Exact(2).pow(BINARY[binary]));
  if (exponent !== undefined) {
    // Kubernetes refuses exponents this large; so do we, rather than build a huge number.
    if (Math.abs(Number(exponent)) > 1000) return undefined;
    return mantissa.times(new Exact(10).pow(Number(exponent)));
  }
  return mantissa.times(new Exact(10).pow(DECIMAL[decimal ?? '']));
}

/** -1, 0 or 1 as quantity `a` is smaller than, equal to or larger than `b`; undefined when either is not a quantity. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const [x, y] = [parseQuantity(a), parseQuantity(b)];
  return x === undefined || y === undefined ? undefined : x.comparedTo(y);
}

/** Compares two Kafka versions by semantic versioning (`4.9.0` < `4.10.0`); undefined when either is not `x.y.z`. */
export function compareVersions(a: unknown, b: unknown): number | undefined {
  const [x, y] = [semver.valid(String(a)), semver.valid(String(b))];
  return typeof a === 'string' && typeof b === 'string' && x && y ? semver.compare(x, y) : undefined;
}
