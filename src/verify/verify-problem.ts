/** The rules `dit-gitops verify` checks, in the order docs/verify.md lists them. */
export enum VerifyRule {
  /** The image a workload runs is the image its automation watches, from its registry. */
  IMAGE = 'image',
  /** Services, probes, Ingresses and pods point at objects and ports that exist. */
  REFERENCE = 'reference',
  /** Flux objects resolve: chartRef, HelmChart paths, dependsOn, paths, image policies, setters, valuesFrom. */
  FLUX = 'flux',
  /** Every host the configuration dials resolves, and the policies on both ends allow it. */
  CALL = 'call',
  /** Every ingress host reaches its component: the controller is allowed in. */
  INGRESS = 'ingress',
}

/** One reason an environment would not work once Flux applied it. */
export interface VerifyProblem {
  readonly environment: string;
  readonly component: string;
  readonly rule: VerifyRule;
  /** What is wrong and the statement that fixes it, on one line. */
  readonly message: string;
}

/** What verify could not see as the cluster will (a chart it cannot render offline). */
export interface VerifyNote {
  readonly environment: string;
  readonly component: string;
  readonly message: string;
}

/** Everything verify found in the environments it checked. */
export interface VerifyReport {
  readonly environments: readonly string[];
  readonly problems: readonly VerifyProblem[];
  readonly notes: readonly VerifyNote[];
}

/** `<environment> <component> <rule>: <message>`, the one line each problem prints as. */
export function formatVerifyProblem(problem: VerifyProblem): string {
  return `${problem.environment} ${problem.component} ${problem.rule}: ${problem.message}`;
}

/** Problems in a stable order (environment, component, rule, message), duplicates dropped. */
export function sortProblems<T extends VerifyProblem | VerifyNote>(items: readonly T[]): T[] {
  const key = (p: T) => [p.environment, p.component, 'rule' in p ? p.rule : '', p.message].join('\u0000');
  const unique = new Map(items.map((p) => [key(p), p]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}
