import { stringifyDocument } from '../tree/yaml-format';
import * as semver from 'semver';
import { Document, isScalar, parseDocument } from 'yaml';
import { ImagePolicy } from '../../imports/image.toolkit.fluxcd.io';
import { ImageRepository, ImageUpdateAutomation } from '../../imports/image.toolkit.fluxcd.io';
import { DitError, DitErrorLocation, received } from '../app/errors';
import { PlainObject, orderManifest } from '../tree/strategic-patch';

/** Sort order of alphabetical and numerical policies. */
export enum PolicyOrder {
  ASC = 'asc',
  DESC = 'desc',
}

/** How Flux picks the newest tag. */
export class ImageSelection {
  /** The highest semantic version within `range`. */
  public static semver(range: string): ImageSelection {
    return new ImageSelection({ semver: { range } }, range);
  }

  /** The last tag in alphabetical order (for example timestamped tags). */
  public static alphabetical(order: PolicyOrder = PolicyOrder.ASC): ImageSelection {
    return new ImageSelection({ alphabetical: { order } });
  }

  /** The highest number (for example a build number extracted by filterTags). */
  public static numerical(order: PolicyOrder = PolicyOrder.ASC): ImageSelection {
    return new ImageSelection({ numerical: { order } });
  }

  private constructor(public readonly policy: PlainObject, private readonly range?: string) {}

  /** Throws when a semver range does not parse. */
  public validate(where: DitErrorLocation): void {
    if (this.range !== undefined && semver.validRange(this.range) === null) {
      throw new DitError(where, `semver range ${received(this.range)} does not parse; expected a range such as >=1.0.0 or ^2.x`);
    }
  }
}

/** Flux's digest reflection: whether the policy also records the digest of the chosen tag. */
export enum DigestReflection {
  ALWAYS = 'Always',
  IF_NOT_PRESENT = 'IfNotPresent',
  NEVER = 'Never',
}

/** Options of image automation for one component in one environment. */
export interface ImageAutomationOptions {
  /** How the newest tag is chosen. */
  readonly selection: ImageSelection;
  /**
   * Tags considered, and what part of them is compared.
   * @default - the environment's tag rule pattern, if it has one
   */
  readonly filterTags?: { readonly pattern: string; readonly extract?: string };
  /** Scan and update interval. @default '5m' */
  readonly interval?: string;
  /** @default DigestReflection.ALWAYS (digests are pinned) */
  readonly digestReflection?: DigestReflection;
  /** Branch checked out and pushed to. @default 'main' */
  readonly branch?: string;
  /** Branch pushed to, when it differs (a pull-request flow). @default - the checkout branch */
  readonly pushBranch?: string;
  /** Commit author. @default { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' } */
  readonly author?: { readonly name: string; readonly email: string };
  /** Commit message template. @default - names the component, environment and new images */
  readonly messageTemplate?: string;
  /**
   * Renders the ImageUpdateAutomation suspended: Flux still scans tags, but commits nothing
   * until it is resumed (seed 000's "skip auto-deploy"). @default false
   */
  readonly suspend?: boolean;
}

/** What the rendering needs besides the options. */
export interface ImageAutomationContext {
  readonly component: string;
  readonly environment: string;
  /** The full image name the ImageRepository scans: the component's registry and repository. */
  readonly image: string;
  /** The registry's pull secret, which the scan uses too. @default - none (a public registry) */
  readonly pullSecret?: string;
  /** Repository path of the overlay, for example `./dist/my-api/staging`. */
  readonly updatePath: string;
  /** GitRepository of this repository. */
  readonly source: { readonly name: string; readonly namespace: string };
  /** The environment tag rule's pattern, if any. */
  readonly tagPattern?: string;
}

const DEFAULT_TEMPLATE = (ctx: ImageAutomationContext) =>
  `${ctx.component} (${ctx.environment}): update image\n\n{{ range .Changed.Changes }}{{ print .OldValue }} -> {{ println .NewValue }}{{ end }}`;

/** The setter marker Flux image automation updates, for image.yaml. */
export function imagePolicyMarker(namespace: string, policy: string, field: 'tag' | 'digest'): string {
  return `# {"$imagepolicy": "${namespace}:${policy}:${field}"}`;
}

/** ImageRepository, ImagePolicy and ImageUpdateAutomation for one overlay. */
export function renderImageAutomation(options: ImageAutomationOptions, ctx: ImageAutomationContext): PlainObject[] {
  const interval = options.interval ?? '5m';
  const filter = options.filterTags ?? (ctx.tagPattern ? { pattern: ctx.tagPattern } : undefined);
  const branch = options.branch ?? 'main';
  const repository = ImageRepository.manifest({
    metadata: { name: ctx.component },
    spec: { image: ctx.image, interval, ...(ctx.pullSecret ? { secretRef: { name: ctx.pullSecret } } : {}) },
  });
  const policy = ImagePolicy.manifest({
    metadata: { name: ctx.component },
    spec: {
      imageRepositoryRef: { name: ctx.component },
      policy: options.selection.policy,
      digestReflectionPolicy: (options.digestReflection ?? DigestReflection.ALWAYS) as never,
      interval,
      ...(filter ? { filterTags: filter } : {}),
    },
  });
  const automation = ImageUpdateAutomation.manifest({
    metadata: { name: ctx.component },
    spec: {
      interval,
      sourceRef: { kind: 'GitRepository' as never, name: ctx.source.name, namespace: ctx.source.namespace },
      git: {
        checkout: { ref: { branch } },
        commit: {
          author: options.author ?? { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' },
          messageTemplate: options.messageTemplate ?? DEFAULT_TEMPLATE(ctx),
        },
        push: { branch: options.pushBranch ?? branch },
      },
      update: { path: ctx.updatePath, strategy: 'Setters' as never },
      ...(options.suspend ? { suspend: true } : {}),
    },
  });
  return [repository, policy, automation].map(orderManifest);
}

// The lines Flux's setters update: the tag, the digest, and the record of the tag the digest
// was recorded for (dit-gitops.io/digest-tag), which must move with them.
const MARKED: ReadonlyArray<readonly [readonly string[], 'tag' | 'digest']> = [
  [['spec', 'values', 'global', 'image', 'tag'], 'tag'],
  [['spec', 'values', 'global', 'image', 'digest'], 'digest'],
  [['metadata', 'annotations', 'dit-gitops.io/digest-tag'], 'tag'],
];

/**
 * Puts the setter markers on `spec.values.global.image.tag` and `.digest` of an image.yaml
 * document, and the tag marker on `metadata.annotations."dit-gitops.io/digest-tag"` (and on
 * no other line that happens to say `tag:`). Returns whether it changed.
 */
export function placeSetterMarkers(doc: Document, namespace: string, policy: string): boolean {
  let changed = false;
  for (const [path, field] of MARKED) {
    const node = doc.getIn(path, true);
    const comment = imagePolicyMarker(namespace, policy, field).replace(/^#/, '');
    if (isScalar(node) && node.comment !== comment) {
      node.comment = comment;
      changed = true;
    }
  }
  return changed;
}

/**
 * Adds setter markers to the tag and digest of an image.yaml that lacks them, keeping every
 * value and comment CI or Flux wrote.
 */
export function addSetterMarkers(content: string, namespace: string, policy: string): string {
  const doc = parseDocument(content, { version: '1.1' });
  return placeSetterMarkers(doc, namespace, policy) ? stringifyDocument(doc) : content;
}
