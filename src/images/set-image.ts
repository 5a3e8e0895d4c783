import type { DitEnvironment } from '../app/environment';
import { DitError, received } from '../app/errors';
import { GoldenChartComponent } from '../components/golden-chart';
import type { GitOpsApp } from '../app/gitops-app';
import { ImageRecord, renderImageFile, validateImageRecord } from './image-file';

/** What the auto-deploy step knows after a build. */
export interface SetImageRequest {
  readonly component: string;
  /** Environment name; or give `ref`. */
  readonly environment?: string;
  /** Git ref that was built: a tag goes to production, `main` to staging, anything else to development. */
  readonly ref?: string;
  readonly tag: string;
  /** `sha256:` and 64 hex characters. Required where the environment pins digests. */
  readonly digest?: string;
  /** The application repository: `https://github.com/owner/name` or `owner/name`. @default - the component's */
  readonly repository?: string;
  /** Commit that was built. @default - none */
  readonly commit?: string;
}

/** The file set-image writes. */
export interface SetImageResult {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly content: string;
  readonly environment: string;
}

/** Maps a git ref to an environment the way the auto-deploy action does. */
export function environmentForRef(ref: string): string {
  if (ref.startsWith('refs/tags/')) return 'production';
  const branch = ref.replace(/^refs\/heads\//, '');
  return branch === 'main' ? 'staging' : 'development';
}

/**
 * Renders the image.yaml that records a new build, after checking it against the app's
 * definitions: the component exists and is deployed there, the tag follows the environment's
 * rule, the digest is well formed and present where digests are pinned. Pure: the caller
 * writes the file.
 */
export function renderSetImage(app: GitOpsApp, request: SetImageRequest): SetImageResult {
  const where = (field: string, environment?: string) => ({ component: request.component, environment, field });
  if ((request.environment === undefined) === (request.ref === undefined)) {
    throw new DitError(where('environment'), 'expected exactly one of an environment or a git ref');
  }
  const envName = request.environment ?? environmentForRef(request.ref!);
  const component = app.components.find((c) => c.name === request.component);
  if (!(component instanceof GoldenChartComponent)) {
    const images = app.components.filter((c) => c instanceof GoldenChartComponent).map((c) => c.name);
    throw new DitError(where('component'), `${component ? 'has no CI-built image' : 'does not exist'}; expected one of ${images.join(', ')}`);
  }
  const environments = app.environments;
  const env: DitEnvironment | undefined = component.deployedIn(environments).find((e) => e.name === envName);
  if (!env) {
    throw new DitError(where('environment', envName), `${request.component} is not deployed in ${envName}; expected one of ${component.deployedIn(environments).map((e) => e.name).join(', ')}`);
  }
  const record: ImageRecord = {
    ...component.imageRecordFor(env),
    tag: request.tag,
    digest: request.digest,
    commit: request.commit,
    ...(request.repository !== undefined ? { githubRepository: githubRepository(request.repository, where('repository', envName)) } : {}),
  };
  validateImageRecord(record, { component: component.name, environment: env.name }, { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule });
  return { path: `${component.overlayDirectory(env)}/image.yaml`, content: renderImageFile(record), environment: env.name };
}

function githubRepository(value: string, location: { component: string; environment?: string; field: string }): string {
  const match = /^(?:https:\/\/github\.com\/)?([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(value);
  if (!match) throw new DitError(location, `got ${received(value)}; expected https://github.com/owner/name or owner/name`);
  return match[1];
}
