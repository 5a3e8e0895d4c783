import type { DitEnvironment } from '../app/environment';
import { DitError, received } from '../app/errors';
import { GoldenChartComponent } from '../components/golden-chart';
import type { GitOpsApp } from '../app/gitops-app';
import { editImageFile, readImageFile } from './image-document';
import { GITHUB_OWNER_NAME, ImageRecord, renderImageFile, validateImageRecord } from './image-file';

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
 * The image.yaml that records a new build, after checking it against the app's definitions:
 * the component exists and is deployed there, the tag follows the environment's rule, the
 * digest is well formed and present where digests are pinned. When `read` returns the file's
 * current bytes it edits them in place (only the given fields change; comments, key order and
 * the values it is not given stay); otherwise it renders a new file. Writes nothing: the
 * caller writes.
 */
export function renderSetImage(app: GitOpsApp, request: SetImageRequest, read: (path: string) => string | undefined = () => undefined): SetImageResult {
  const where = (field: string, environment?: string) => ({ component: request.component, environment, field });
  if ((request.environment === undefined) === (request.ref === undefined)) {
    throw new DitError(where('environment'), 'expected exactly one of an environment or a git ref');
  }
  const envName = request.environment ?? environmentForRef(request.ref!);
  const component = app.components.find((c) => c.name === request.component);
  const images = () => app.components.filter((c) => c instanceof GoldenChartComponent && !c.imageFrom).map((c) => c.name);
  if (!(component instanceof GoldenChartComponent)) {
    throw new DitError(where('component'), `${component ? 'has no CI-built image' : 'does not exist'}; expected one of ${images().join(', ')}`);
  }
  if (component.imageFrom) {
    throw new DitError(where('component'), `runs ${component.imageFrom.name}'s image (imageFrom) and has no image.yaml of its own; expected set-image ${component.imageFrom.name}, which moves both`);
  }
  const environments = app.environments;
  const env: DitEnvironment | undefined = component.deployedIn(environments).find((e) => e.name === envName);
  if (!env) {
    throw new DitError(where('environment', envName), `${request.component} is not deployed in ${envName}; expected one of ${component.deployedIn(environments).map((e) => e.name).join(', ')}`);
  }
  if (request.tag === '') {
    throw new DitError(where('tag', envName), 'is empty; expected the tag of the image CI built (an empty tag is how a pending release waits for its first one)');
  }
  if (request.digest === '') {
    throw new DitError(where('digest', envName), 'is empty; expected sha256: followed by 64 lowercase hex characters');
  }
  const repository = request.repository !== undefined ? githubRepository(request.repository, where('repository', envName)) : undefined;
  const path = `${component.overlayDirectory(env)}/image.yaml`;
  const requirements = { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule };
  const previous = read(path);
  if (previous !== undefined) {
    const context = component.imageFileContext(env, app.repositoryPath);
    const content = editImageFile(previous, context, { tag: request.tag, digest: request.digest, commit: request.commit, githubRepository: repository });
    // A pending release in an environment that pins digests waits for its digest: set-image
    // never leaves it set to a tag with an empty digest (the auto-deploy action's edit does).
    if (env.pinImageDigests && !readImageFile(content, context).digest) {
      throw new DitError(where('digest', env.name), `is required: ${env.name} pins images by digest and ${path} holds none yet; expected --digest sha256:<digest of ${request.tag}>`);
    }
    return { path, content, environment: env.name };
  }
  const record: ImageRecord = {
    ...component.imageRecordFor(env),
    tag: request.tag,
    digest: request.digest,
    commit: request.commit,
    ...(repository !== undefined ? { githubRepository: repository } : {}),
  };
  validateImageRecord(record, { component: component.name, environment: env.name }, requirements);
  return { path, content: renderImageFile(record), environment: env.name };
}

function githubRepository(value: string, location: { component: string; environment?: string; field: string }): string {
  // The name's last quantifier made lazy (`+?`), so a `.git` suffix is not taken as part of it.
  const match = new RegExp(`^(?:https://github\\.com/)?(${GITHUB_OWNER_NAME}?)(?:\\.git)?/?$`).exec(value);
  if (!match) throw new DitError(location, `got ${received(value)}; expected https://github.com/owner/name or owner/name`);
  return match[1];
}
