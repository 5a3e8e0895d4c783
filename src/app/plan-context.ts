import type { DitEnvironment } from './environment';
import type { ImageRegistry } from '../images/image-registry';

/** What components need to know about the app when it plans. */
export interface PlanContext {
  /** Every environment of the app, in declaration order. */
  readonly environments: readonly DitEnvironment[];
  /** Path of the output directory inside the git repository, for example `dist`. */
  readonly repositoryPath: string;
  /** The Flux GitRepository that syncs this repository. */
  readonly gitRepository: { readonly name: string; readonly namespace: string };
  /** The team's registry: what environments and components do not set themselves. */
  readonly registry: ImageRegistry;
}
