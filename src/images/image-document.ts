import { Document, Pair, Scalar, YAMLMap, isMap, isScalar, parseAllDocuments } from 'yaml';
import { DitError, received } from '../app/errors';
import { isAmbiguousScalar, stringifyDocument } from '../tree/yaml-format';
import { placeSetterMarkers } from './image-automation';
import { AUTO_DEPLOY_BANNER, DIGEST_TAG_ANNOTATION, GITHUB_OWNER_NAME, ImageRequirements, validateImageRecord } from './image-file';

/** Which image.yaml is read, and what it must hold. */
export interface ImageFileContext {
  /** The file as errors name it (`dist/my-api/production/image.yaml`). */
  readonly file: string;
  readonly component: string;
  readonly environment: string;
  /** The HelmRelease the patch must target. */
  readonly release: string;
  readonly requirements: ImageRequirements;
  /** The ImagePolicy whose setter markers go on the tag and digest. @default - no markers */
  readonly policy?: { readonly namespace: string; readonly name: string };
}

/** The values CI and image automation own in an image.yaml. */
export interface ImageFields {
  readonly tag: string;
  readonly digest?: string;
  /** `spec.values.annotations.GITHUB_REPO_URL` */
  readonly repositoryUrl?: string;
  /** `spec.values.annotations.GITHUB_COMMIT_HASH` */
  readonly commit?: string;
}

/** The new values set-image records; an absent value keeps the file's. */
export interface ImageUpdate {
  readonly tag: string;
  readonly digest?: string;
  /** `owner/name` */
  readonly githubRepository?: string;
  readonly commit?: string;
}

const VALUES = ['spec', 'values'];
const TAG = [...VALUES, 'global', 'image', 'tag'];
const DIGEST = [...VALUES, 'global', 'image', 'digest'];
const REPO_URL = [...VALUES, 'annotations', 'GITHUB_REPO_URL'];
const COMMIT = [...VALUES, 'annotations', 'GITHUB_COMMIT_HASH'];
const DIGEST_TAG = ['metadata', 'annotations', DIGEST_TAG_ANNOTATION];
const OWNED = [TAG, DIGEST, REPO_URL, COMMIT, DIGEST_TAG].map((p) => p.join('.')).join(', ');

// Every key an image.yaml may hold: the patch's identity, and the fields CI (the auto-deploy
// action, set-image) and Flux image automation write. `true` marks a scalar.
type Shape = { readonly [key: string]: Shape | true };
const SHAPE: Shape = {
  apiVersion: true,
  kind: true,
  metadata: { name: true, namespace: true, annotations: { [DIGEST_TAG_ANNOTATION]: true } },
  spec: { values: { global: { image: { tag: true, digest: true } }, annotations: { GITHUB_REPO_URL: true, GITHUB_COMMIT_HASH: true } } },
};

const GITHUB_URL = new RegExp(`^https://github\\.com/(${GITHUB_OWNER_NAME})$`);

/**
 * Reads an image.yaml as the engine accepts it: one HelmRelease patch for this component's
 * release, holding only the fields CI and image automation own, with valid values. Throws a
 * DitError naming the file and the field.
 */
export function readImageFile(content: string, ctx: ImageFileContext): ImageFields {
  return checkDocument(parseImageDocument(content, ctx), ctx);
}

/**
 * What synthesis does with an image.yaml CI left: refuses a digest recorded for another tag
 * than the file's, then brings files of earlier versions up to date (annotations written under
 * `global` move beside it; a digest without the record of its tag gets one, for the tag the
 * file holds), puts the setter markers on the tag, the digest and the record when automated,
 * checks the file, and (given the bytes in git HEAD) refuses a tag that changed while the
 * digest did not. Returns the bytes unchanged when there was nothing to do.
 */
export function reconcileImageFile(previous: string, ctx: ImageFileContext, committed?: string): string {
  const doc = parseImageDocument(previous, ctx);
  // Judged before anything is migrated: a record written by an earlier synthesis is the truth.
  checkDigestRecord(doc, ctx);
  const migrated = migrateAnnotations(doc);
  const recorded = recordDigestTag(doc, ctx);
  const marked = ctx.policy !== undefined && placeSetterMarkers(doc, ctx.policy.namespace, ctx.policy.name);
  const fields = checkDocument(doc, ctx);
  if (committed !== undefined) checkDigestFollowsTag(fields, committedFields(committed), ctx);
  return migrated || recorded || marked ? stringify(doc) : previous;
}

/** What {@link staleDigestProblem} names: the component and environment, for the fix it prints. */
export interface StaleDigestHint {
  /** @default - the patch's metadata.name */
  readonly component?: string;
  /** @default '<environment>' */
  readonly environment?: string;
}

/**
 * Why an image.yaml's digest is stale, judged from the file alone, or undefined when it is
 * not (or the file records nothing to judge by: no digest, or a file no synthesis has
 * migrated yet). A digest is stale when `metadata.annotations."dit-gitops.io/digest-tag"`,
 * the tag it was recorded for, differs from `spec.values.global.image.tag`: the auto-deploy
 * action's `yq -i` moved the tag and left the digest, so the pod keeps running the old image.
 * Pure: reads no file, no git; a file that does not parse is not judged here.
 */
export function staleDigestProblem(imageFileText: string, hint: StaleDigestHint = {}): string | undefined {
  let doc: Document;
  try {
    doc = parseAllDocuments(imageFileText, { version: '1.1' })[0] as Document;
  } catch {
    return undefined;
  }
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const component = hint.component ?? (typeof doc.getIn(['metadata', 'name']) === 'string' ? String(doc.getIn(['metadata', 'name'])) : '<component>');
  return staleMessage(doc, component, hint.environment ?? '<environment>');
}

// The located form: the field is the digest, the message the one staleDigestProblem gives.
function checkDigestRecord(doc: Document, ctx: ImageFileContext): void {
  const message = staleMessage(doc, ctx.component, ctx.environment);
  if (message !== undefined) throw new DitError(where(ctx, DIGEST), message.slice(message.indexOf(' ') + 1));
}

function staleMessage(doc: Document, component: string, environment: string): string | undefined {
  const tag: unknown = doc.getIn(TAG);
  const digest: unknown = doc.getIn(DIGEST);
  const recorded: unknown = doc.getIn(DIGEST_TAG);
  // An empty digest pins nothing: a pending release waits for one (docs/images.md#pending-releases).
  if (digest === undefined || digest === null || digest === '' || recorded === undefined || recorded === null || String(recorded) === String(tag)) return undefined;
  return `${DIGEST.join('.')} is the digest recorded for tag ${received(String(recorded))} (metadata.annotations.${DIGEST_TAG_ANNOTATION}), but the tag is now ${received(String(tag))}: `
    + `the pod would keep running the ${String(recorded)} image under the new tag; expected the digest of ${String(tag)}, recorded with `
    + `npx dit-gitops set-image ${component} --env ${environment} --tag ${String(tag)} --digest sha256:<digest of ${String(tag)}>`;
}

/**
 * Files of earlier versions: a digest without the record of its tag gets one, for the tag
 * the file holds; a record without a digest is dropped (it records nothing). Returns whether
 * it changed.
 */
function recordDigestTag(doc: Document, ctx: ImageFileContext): boolean {
  const digest = doc.getIn(DIGEST);
  const record = doc.getIn(DIGEST_TAG, true);
  // An empty digest (a pending release waiting for one) records nothing either.
  if ((digest === undefined || digest === null || digest === '') && record !== undefined) {
    doc.deleteIn(DIGEST_TAG);
    const annotations = doc.getIn(['metadata', 'annotations'], true);
    if (isMap(annotations) && annotations.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
    return true;
  }
  if (digest === undefined || digest === null || digest === '' || record !== undefined) return false;
  const tag = doc.getIn(TAG);
  if (typeof tag !== 'string') return false;
  setRecord(doc, tag, ctx);
  return true;
}

// The record sits right after metadata.name, where renderImageFile puts it.
function setRecord(doc: Document, tag: string, ctx: ImageFileContext): void {
  if (doc.getIn(['metadata', 'annotations'], true) === undefined && isMap(doc.get('metadata', true))) {
    const metadata = doc.get('metadata', true) as YAMLMap;
    const annotations = doc.createPair('annotations', {});
    const index = metadata.items.findIndex((p) => isScalar(p.key) && p.key.value === 'name');
    metadata.items.splice(index + 1, 0, annotations);
  }
  setScalar(doc, DIGEST_TAG, tag);
  if (ctx.policy) placeSetterMarkers(doc, ctx.policy.namespace, ctx.policy.name);
}

/**
 * Records a new build in an existing image.yaml, in place: only the given fields change;
 * comments, key order and every other byte stay. Without a new digest, a file that carries
 * one may not change its tag (the digest would keep pinning the old image).
 */
export function editImageFile(previous: string, ctx: ImageFileContext, update: ImageUpdate): string {
  const doc = parseImageDocument(previous, ctx);
  migrateAnnotations(doc);
  recordDigestTag(doc, ctx);
  const before = checkDocument(doc, ctx, { stale: false });
  const digest = update.digest ?? before.digest;
  if (before.digest !== undefined && before.digest !== '' && update.tag !== before.tag && digest === before.digest) {
    throw new DitError(where(ctx, DIGEST), `is ${before.digest}, recorded for tag ${before.tag}; the tag changes to ${update.tag} and ${update.digest === undefined ? 'no --digest was given' : 'the digest given is the same'}; expected the digest of the new image`);
  }
  setScalar(doc, TAG, update.tag);
  // A new digest is recorded with the tag it was built for: the record the stale check reads.
  if (update.digest !== undefined) {
    setScalar(doc, DIGEST, update.digest);
    setRecord(doc, update.tag, ctx);
  }
  if (update.commit !== undefined) setScalar(doc, COMMIT, update.commit);
  if (update.githubRepository !== undefined) {
    setScalar(doc, REPO_URL, `https://github.com/${update.githubRepository}`);
    // As the auto-deploy action does: the banner and the repository line head `global`
    // (the first key's head comment belongs to the map itself).
    const values = doc.getIn(VALUES, true) as YAMLMap;
    // A yaml comment node holds the text after its `#`.
    const banner = [...AUTO_DEPLOY_BANNER, `# GITHUB_REPOSITORY: ${update.githubRepository}`].map((line) => line.slice(1)).join('\n');
    const index = values.items.findIndex((p) => isScalar(p.key) && p.key.value === 'global');
    if (index === 0) values.commentBefore = banner;
    else (values.items[index].key as Scalar).commentBefore = banner;
  }
  if (ctx.policy) placeSetterMarkers(doc, ctx.policy.namespace, ctx.policy.name);
  // A file left stale by the action stays stale unless this run brings the digest.
  checkDigestRecord(doc, ctx);
  checkDocument(doc, ctx);
  return stringify(doc);
}

function parseImageDocument(content: string, ctx: ImageFileContext): Document {
  const docs = parseAllDocuments(content, { version: '1.1', prettyErrors: false });
  const error = docs.flatMap((d) => d.errors)[0];
  if (error) throw new DitError(where(ctx, []), `is not valid YAML (${error.message.split('\n')[0]}); expected one HelmRelease patch`);
  const maps = docs.filter((d) => d.contents !== null);
  if (maps.length === 0) throw new DitError(where(ctx, []), `is empty; expected a HelmRelease patch for ${ctx.release} with ${OWNED}`);
  if (docs.length > 1) throw new DitError(where(ctx, []), `holds ${docs.length} documents; expected one HelmRelease patch for ${ctx.release}`);
  if (!isMap(maps[0].contents)) throw new DitError(where(ctx, []), `got ${received(maps[0].toJS())}; expected a HelmRelease patch (a mapping)`);
  return maps[0];
}

function checkDocument(doc: Document, ctx: ImageFileContext, options: { readonly stale?: boolean } = {}): ImageFields {
  checkShape(doc.contents as YAMLMap, SHAPE, [], ctx);
  const identity: [string[], string][] = [[['apiVersion'], 'helm.toolkit.fluxcd.io/v2'], [['kind'], 'HelmRelease'], [['metadata', 'name'], ctx.release]];
  for (const [p, expected] of identity) {
    const value = doc.getIn(p);
    if (value !== expected) throw new DitError(where(ctx, p), `got ${received(value)}; expected ${expected} (the patch targets this component's HelmRelease)`);
  }
  const tag = stringAt(doc, TAG, ctx);
  if (tag === undefined) throw new DitError(where(ctx, TAG), 'is missing; expected the image tag');
  const fields: ImageFields = { tag, digest: stringAt(doc, DIGEST, ctx), repositoryUrl: stringAt(doc, REPO_URL, ctx), commit: stringAt(doc, COMMIT, ctx) };
  stringAt(doc, DIGEST_TAG, ctx);
  if (options.stale !== false) checkDigestRecord(doc, ctx);
  const repository = fields.repositoryUrl === undefined ? undefined : GITHUB_URL.exec(fields.repositoryUrl)?.[1];
  if (fields.repositoryUrl !== undefined && repository === undefined) {
    throw new DitError(where(ctx, REPO_URL), `got ${received(fields.repositoryUrl)}; expected https://github.com/owner/name`);
  }
  const fieldPaths: Record<string, string[]> = { 'image.tag': TAG, 'image.digest': DIGEST, 'image.commit': COMMIT, 'image.githubRepository': REPO_URL };
  try {
    validateImageRecord({ release: ctx.release, tag, digest: fields.digest, commit: fields.commit, githubRepository: repository }, { component: ctx.component, environment: ctx.environment }, ctx.requirements);
  } catch (error) {
    // The same rules as the definitions, reported at the file's own field.
    if (!(error instanceof DitError)) throw error;
    throw new DitError(where(ctx, fieldPaths[error.location.field] ?? []), error.message.slice(error.message.indexOf(': ') + 2));
  }
  return fields;
}

function checkShape(map: YAMLMap, shape: Shape, at: string[], ctx: ImageFileContext): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const p = [...at, key];
    const expected = shape[key];
    if (expected === undefined) throw new DitError(where(ctx, p), `is not a field CI or image automation owns; expected only ${OWNED} (set everything else in the definitions)`);
    if (expected === true && !isScalar(pair.value)) throw new DitError(where(ctx, p), `got ${received(toJs(pair.value))}; expected a single value`);
    if (expected !== true) {
      if (!isMap(pair.value)) throw new DitError(where(ctx, p), `got ${received(toJs(pair.value))}; expected a mapping`);
      checkShape(pair.value, expected, p, ctx);
    }
  }
}

function stringAt(doc: Document, p: string[], ctx: ImageFileContext): string | undefined {
  const node = doc.getIn(p, true) as Scalar | undefined;
  if (node === undefined || node.value === null) return undefined;
  if (typeof node.value !== 'string') throw new DitError(where(ctx, p), `got ${received(node.value)}, a ${typeof node.value}; expected a string (quote it)`);
  if (node.type === 'PLAIN' && isAmbiguousScalar(node.value)) {
    throw new DitError(where(ctx, p), `got ${node.value} unquoted, which a YAML 1.1 or 1.2 reader (kustomize, Helm) reads as a number, boolean, null or date; expected "${node.value}" in quotes`);
  }
  return node.value;
}

function committedFields(committed: string): { tag?: unknown; digest?: unknown } {
  try {
    const first = parseAllDocuments(committed, { version: '1.1' })[0];
    return { tag: first?.getIn(TAG), digest: first?.getIn(DIGEST) };
  } catch {
    return {};
  }
}

function checkDigestFollowsTag(now: ImageFields, committed: { tag?: unknown; digest?: unknown }, ctx: ImageFileContext): void {
  // An empty digest pins nothing: the release stays pending until one is recorded.
  if (now.digest === undefined || now.digest === '' || committed.digest === undefined || committed.tag === undefined) return;
  if (now.tag !== committed.tag && now.digest === committed.digest) {
    throw new DitError(where(ctx, DIGEST), `is still ${now.digest} while the tag changed from ${committed.tag} to ${now.tag} since git HEAD; expected the new image's digest (with the old one the pod keeps running the old image under the new tag)`);
  }
}

/** Moves `global.annotations` beside `global`, where the auto-deploy action writes them. */
function migrateAnnotations(doc: Document): boolean {
  const global = doc.getIn([...VALUES, 'global'], true);
  if (!isMap(global) || !global.has('annotations')) return false;
  const values = doc.getIn(VALUES, true) as YAMLMap;
  const moved = global.items.find((p) => isScalar(p.key) && p.key.value === 'annotations') as Pair;
  global.items.splice(global.items.indexOf(moved), 1);
  const existing = values.get('annotations', true);
  if (isMap(existing) && isMap(moved.value)) {
    for (const pair of moved.value.items) if (!existing.has(pair.key)) existing.items.push(pair);
  } else {
    values.items.splice(values.items.findIndex((p) => isScalar(p.key) && p.key.value === 'global') + 1, 0, moved);
  }
  return true;
}

function setScalar(doc: Document, p: string[], value: string): void {
  const node = doc.getIn(p, true);
  const type = isAmbiguousScalar(value) ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN;
  if (isScalar(node)) {
    node.value = value;
    node.type = type;
    return;
  }
  const scalar = doc.createNode(value) as Scalar;
  scalar.type = type;
  doc.setIn(p, scalar);
}

function stringify(doc: Document): string {
  return stringifyDocument(doc);
}

function toJs(node: unknown): unknown {
  return node && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : node;
}

function where(ctx: ImageFileContext, p: readonly string[]) {
  return { component: ctx.component, environment: ctx.environment, field: p.length === 0 ? ctx.file : `${ctx.file} ${p.join('.')}` };
}
