import { DitApi, DitError, DitValidationError, GitOpsApp, GoldenChartProps, Peer } from '../src';
import { TwoEnvironments, readTree, synthInto, tempDir, twoEnvironments } from './support';

/** One bad input of the catalogue: the definitions and every line of the message it gets. */
export interface CatalogueCase {
  /** What the mistake is. */
  readonly name: string;
  /** The definitions; `envs` are development and production (not marked production) unless `bare`. */
  readonly define: (app: GitOpsApp, envs: TwoEnvironments) => void;
  /** The exact message: one line per problem, in the order reported. */
  readonly expected: string | readonly string[];
  /** Declare no environments: the case brings its own. @default false */
  readonly bare?: boolean;
}

/** A DitApi reachable through Traefik, so nothing but the mistake under test is reported. */
export function api(app: GitOpsApp, name = 'api', props: GoldenChartProps = {}): DitApi {
  const component = new DitApi(app, name, props);
  component.connections.allowFrom(Peer.traefik());
  return component;
}

/** Runs `define` through a synthesis into `outdir`; returns what it threw. */
export function synthError(outdir: string, c: Pick<CatalogueCase, 'define' | 'bare'>): unknown {
  try {
    synthInto(outdir, c.bare ? (app) => c.define(app, undefined as never) : twoEnvironments(c.define));
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * One test per case: the synthesis into a tree written before fails with exactly the
 * expected message, as a DitError (a DitValidationError when the validation pass found it),
 * and the tree is left byte for byte as it was.
 */
export function catalogue(title: string, cases: readonly CatalogueCase[]): void {
  describe(title, () => {
    const outdir = tempDir('dit-gitops-catalogue-');
    let before: Record<string, string> = {};
    beforeAll(() => {
      synthInto(outdir, twoEnvironments((app) => { api(app, 'existing'); }));
      before = readTree(outdir);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const error = synthError(outdir, c);
      expect(error).toBeInstanceOf(DitError);
      expect((error as DitError).message).toBe(typeof c.expected === 'string' ? c.expected : c.expected.join('\n'));
      if (error instanceof DitValidationError) expect(error.problems.length).toBe(typeof c.expected === 'string' ? 1 : c.expected.length);
      expect(readTree(outdir)).toStrictEqual(before);
    });
  });
}
