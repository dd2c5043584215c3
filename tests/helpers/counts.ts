/**
 * How many cases the property tests generate. By default, the first of the cases a full run checks
 * (the same seeds, and fast-check draws a seed's cases in the same order whatever their number);
 * FEEDGEN_FULL_TESTS=1, which .ci/run sets, checks them all. A count set in a test's own variable
 * wins over both.
 */
export const FULL_TESTS = process.env.FEEDGEN_FULL_TESTS === '1';

/** `variable` if set, else `full` in a full run and `quick` in the default one. */
export function caseCount(quick: number, full: number, variable?: string): number {
  const explicit = variable === undefined ? undefined : process.env[variable];
  return explicit !== undefined ? Number(explicit) : FULL_TESTS ? full : quick;
}
