import { Construct } from 'constructs';
import { DataFile } from '../tree/gitops-file';
import { ImageTagRule } from '../images/image-tag-rule';
import { assertDnsLabel, assertDnsSubdomain } from './names';

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
   * Whether images must be pinned by digest in this environment.
   * @default - true for an environment named `production`
   */
  readonly pinImageDigests?: boolean;
  /**
   * Image tags the environment accepts (CI's set-image and the first image.yaml are checked).
   * @default ImageTagRule.any()
   */
  readonly imageTagRule?: ImageTagRule;
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
  public readonly pinImageDigests: boolean;
  public readonly imageTagRule: ImageTagRule;

  constructor(scope: Construct, id: string, props: DitEnvironmentProps) {
    super(scope, id);
    Object.defineProperty(this, ENVIRONMENT_SYMBOL, { value: true });
    this.name = props.name ?? id;
    assertDnsLabel(this.name, { component: `environment ${this.name}`, field: 'name' });
    assertDnsLabel(props.namespace, { component: `environment ${this.name}`, field: 'namespace' });
    assertDnsSubdomain(props.domain, { component: `environment ${this.name}`, field: 'domain' });
    this.namespace = props.namespace;
    this.domain = props.domain;
    this.infisicalSlug = props.infisicalSlug ?? this.name;
    this.pinImageDigests = props.pinImageDigests ?? this.name === 'production';
    this.imageTagRule = props.imageTagRule ?? ImageTagRule.any();
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
