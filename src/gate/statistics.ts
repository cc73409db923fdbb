/** Small, dependency-free statistics for regression checks. Deterministic: seeded randomness. */

/** mulberry32: a tiny seeded PRNG, so a verdict never depends on luck between reruns. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a distribution given as evenly spaced quantiles (inverse CDF, linear between). */
export function sampleQuantiles(quantiles: readonly number[], u: number): number {
  const position = u * (quantiles.length - 1);
  const i = Math.floor(position);
  const low = quantiles[i] as number;
  const high = quantiles[Math.min(i + 1, quantiles.length - 1)] as number;
  return low + (high - low) * (position - i);
}

export function percentileOf(sorted: Float64Array, p: number): number {
  const index = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[index] as number;
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * 95% bootstrap interval of p95(current) − p95(baseline), each side resampled with its own
 * request count (capped: the interval only needs to be honest, not exact).
 */
export function bootstrapP95Difference(
  baseline: { n: number; quantiles: readonly number[] },
  current: { n: number; quantiles: readonly number[] },
  options: { iterations?: number; seed?: number; maxSamples?: number } = {},
): Interval {
  const iterations = options.iterations ?? 300;
  const random = seededRandom(options.seed ?? 0x10ad);
  const nBase = Math.max(1, Math.min(baseline.n, options.maxSamples ?? 4000));
  const nCurrent = Math.max(1, Math.min(current.n, options.maxSamples ?? 4000));
  const a = new Float64Array(nBase);
  const b = new Float64Array(nCurrent);
  const differences = new Float64Array(iterations);
  for (let k = 0; k < iterations; k++) {
    for (let i = 0; i < nBase; i++) a[i] = sampleQuantiles(baseline.quantiles, random());
    for (let i = 0; i < nCurrent; i++) b[i] = sampleQuantiles(current.quantiles, random());
    a.sort();
    b.sort();
    differences[k] = percentileOf(b, 95) - percentileOf(a, 95);
  }
  differences.sort();
  return { low: percentileOf(differences, 2.5), high: percentileOf(differences, 97.5) };
}

/** One-sided two-proportion z statistic: how many standard errors `current` is above `baseline`. */
export function proportionZ(
  baseline: { failures: number; n: number },
  current: { failures: number; n: number },
): number {
  const p1 = baseline.failures / baseline.n;
  const p2 = current.failures / current.n;
  const pooled = (baseline.failures + current.failures) / (baseline.n + current.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / baseline.n + 1 / current.n));
  if (se === 0) return p2 > p1 ? Infinity : 0;
  return (p2 - p1) / se;
}
