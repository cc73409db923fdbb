/**
 * Facts to say each sentence of a catalog family from: at least one per sentence (every variant
 * worth reading: with and without a step path, one and many), none for a sentence without facts.
 * Typed against the family, so a sentence without samples does not compile.
 */
export type Samples<C> = {
  [K in keyof C]: C[K] extends (...facts: infer P) => string
    ? P extends []
      ? []
      : [P[0], ...P[0][]]
    : never;
};
