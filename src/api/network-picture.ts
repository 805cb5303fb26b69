/** Reachability by namespace and workload class for the HTML heatmap (needs the netpol engine's class pass). */
import type { NetworkSection } from '../core/report.js';
import type { RunView } from '../framework/runner.js';

/** The network section of a run with pods, or undefined. */
export function networkSection(_view: RunView): NetworkSection | undefined {
  return undefined;
}
