import { Construct } from 'constructs';
import { DataFile } from '../tree/gitops-file';
import { ImageTagRule } from '../images/image-tag-rule';
import type { ImageRegistry } from '../images/image-registry';
import { assertDnsLabel, assertDnsSubdomain } from './kubernetes-names';
import { DitError } from './errors';
import { Problems } from './validation';

/** Props of {@link DitEnvironment}. */
export interface DitEnvironmentProps {
  /** Environment name; also the overlay directory name. @default - the construct id */
  readonly name?: string;
  /** Namespace every component of the environment is deployed to. */
  readonly namespace: string;
  /** Base domain; ingress hosts are `<subdomain>.<domain>`. */
  readonly domain: string;
  /** Infisical environment slug. @default - the environment name */
  readonly infisicalSlug?: string;
  /**
   * Whether this is a production environment: it then requires a semantic-version tag and a
   * digest for every image, and exact chart versions and digest-pinned images for third-party
   * charts.
   * @default - true for an environment named `production`
   */
  readonly production?: boolean;
  /**
   * Whether images must be pinned by digest in this environment.
   * @default - the value of `production`
   */
  readonly pinImageDigests?: boolean;
  /**
   * Image tags the environment accepts (the first image.yaml and CI's set-image are checked).
   * Whatever the rule, `latest` is refused unless the rule says otherwise
   * (`ImageTagRule.any({ allowLatest: true })`), and empty tags always are.
   * @default - ImageTagRule.semver() in production, else ImageTagRule.any()
   */
  readonly imageTagRule?: ImageTagRule;
  /** Registry of the images deployed here, unless a component names its own. @default - the team's (GitOpsApp registry) */
  readonly registry?: ImageRegistry;
  /**
   * Objects pods may use that exist in the namespace without this tree (made by the platform
   * team or by hand): `dit-gitops verify` takes references to them as resolved.
   * @default - none (registries' pull secrets are always taken to exist)
   */
  readonly external?: ExternalObjects;
}

/** Names of objects that exist in an environment's namespace outside the tree. */
export interface ExternalObjects {
  /** @default - none */
  readonly secrets?: readonly string[];
  /** @default - none */
  readonly configMaps?: readonly string[];
  /** @default - none */
  readonly serviceAccounts?: readonly string[];
  /** PersistentVolumeClaims. @default - none */
  readonly persistentVolumeClaims?: readonly string[];
}

const ENVIRONMENT_SYMBOL = Symbol.for('dit-gitops.DitEnvironment');

/**
 * A deployment target: one namespace, one domain, and the aggregator
 * `main/<env>/kustomization.yaml` that Flux's Kustomization for the environment points at.
 */
export class DitEnvironment extends Construct {
  public static isEnvironment(x: unknown): x is DitEnvironment {
    return typeof x === 'object' && x !== null && ENVIRONMENT_SYMBOL in x;
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly domain: string;
  public readonly infisicalSlug: string;
  /** Whether this is a production environment (semver tags, digests, pinned charts). */
  public readonly production: boolean;
  public readonly pinImageDigests: boolean;
  public readonly imageTagRule: ImageTagRule;
  /** The environment's own registry, if it names one. */
  public readonly registry?: ImageRegistry;
  /** Objects of the namespace that exist outside the tree. */
  public readonly external: ExternalObjects;

  constructor(scope: Construct, id: string, props: DitEnvironmentProps) {
    // Checked before super() so the user sees our message rather than constructs' id clash.
    const clash = scope.node.tryFindChild(id);
    if (clash) {
      throw new DitError({ component: `environment ${props.name ?? id}`, field: 'name' }, DitEnvironment.isEnvironment(clash)
        ? 'is declared twice; expected one environment per name'
        : `is also the construct id of a ${clash.constructor.name}; expected an id no other construct of the app uses`);
    }
    super(scope, id);
    Object.defineProperty(this, ENVIRONMENT_SYMBOL, { value: true });
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.domain = props.domain;
    this.infisicalSlug = props.infisicalSlug ?? this.name;
    this.production = props.production ?? this.name === 'production';
    this.pinImageDigests = props.pinImageDigests ?? this.production;
    this.imageTagRule = props.imageTagRule ?? (this.production ? ImageTagRule.semver() : ImageTagRule.any());
    this.registry = props.registry;
    this.external = props.external ?? {};
  }

  /** @internal Records every problem of the environment's own props. */
  public _validate(problems: Problems): void {
    const where = (field: string) => ({ component: `environment ${this.name}`, field });
    problems.check(() => assertDnsLabel(this.name, where('name')));
    problems.check(() => assertDnsLabel(this.namespace, where('namespace')));
    problems.check(() => assertDnsSubdomain(this.domain, where('domain')));
    if (this.registry) problems.check(() => this.registry!.validate(where('registry')));
    problems.check(() => this.imageTagRule.validate(where('imageTagRule')));
    for (const [kind, names] of Object.entries(this.external)) {
      for (const name of names as readonly string[]) problems.check(() => assertDnsSubdomain(name, where(`external.${kind}`)));
    }
  }

  /**
   * @internal Creates the aggregator. `overlays` yields the directories (relative to the
   * output root) of everything deployed here; it is read at render time.
   */
  public _prepare(overlays: () => readonly string[]): void {
    if (this.node.tryFindChild('Aggregator')) return;
    new DataFile(this, 'Aggregator', {
      path: `main/${this.name}/kustomization.yaml`,
      // Kustomize sets the namespace here only: a namespace in a base or patch makes the
      // patches miss their targets.
      documents: () => [{ namespace: this.namespace, resources: [...overlays()].sort().map((dir) => `../../${dir}`) }],
    });
  }
}
