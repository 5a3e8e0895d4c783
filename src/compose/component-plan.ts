/**
 * What the pure transform produces: plain data describing each component, its connections
 * and its environments. Both ways in read it: {@link ComposeProject} turns it into
 * constructs, and `dit-gitops import compose` prints it as TypeScript that builds the same
 * constructs, so the two trees are equal by construction.
 */
import type { ProbeValues, VolumeValues } from '../components/chart-values';
import type { ImageTagRule } from '../images/image-tag-rule';

/** The component class a service becomes. */
export type ComponentKind = 'api' | 'client' | 'database' | 'worker';

/** A port the component listens on. */
export interface PortPlan {
  readonly number: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** An environment of the imported project; unset fields follow seed 000's mapping. */
export interface ComposeEnvironmentOptions {
  /** Environment name: `staging`, `production`, … */
  readonly name: string;
  /** @default `<project>-<name>` */
  readonly namespace?: string;
  /** @default `<domain>` for production, `<name>.<domain>` otherwise */
  readonly domain?: string;
  /** Ingress class of the environment's controller (seed 000 runs nginx, seed 004 Traefik). @default - the project's ingressClassName */
  readonly ingressClassName?: string;
  /** A production environment: semver tags, digests, exact chart versions (DitEnvironment's rule). @default - true for production */
  readonly production?: boolean;
  /** @default - the value of `production` */
  readonly pinImageDigests?: boolean;
  /**
   * Accept `latest` here (`ImageTagRule.any({ allowLatest: true })`); ignored in production,
   * whose rule is a semantic version. @default - true when a service says x-dit.allowLatest
   */
  readonly allowLatest?: boolean;
  /**
   * The environment's own tag rule, when it is not the default (ComposeProject passes the rule
   * of an existing environment). @default - the DitEnvironment default, or allowLatest's rule
   */
  readonly imageTagRule?: ImageTagRule;
}

/** An environment of the project. */
export interface EnvironmentPlan {
  readonly name: string;
  readonly namespace: string;
  /** Base domain: ingress hosts are `<service>.<domain>`. */
  readonly domain: string;
  /** Ingress class of the environment's controller. */
  readonly ingressClassName: string;
  /** A production environment: semver tags and digests, exact chart versions, pinned chart images. */
  readonly production: boolean;
  /** Whether images are pinned by digest (production by default). */
  readonly pinImageDigests: boolean;
  /** The tag rule is `ImageTagRule.any({ allowLatest: true })`. @default false */
  readonly allowLatest?: boolean;
  /** An existing environment's own tag rule (ComposeProject only; never printed). @default - DitEnvironment's default */
  readonly imageTagRule?: ImageTagRule;
}

/** Infisical values of the plan: the sealed token is kubeseal output, printed as SealedSecret.fromCiphertext. */
export interface InfisicalPlan {
  readonly secretsPath?: string;
  readonly enabled?: boolean;
  readonly sealedToken?: string;
}

/** Ingress values of a golden-chart component (a subset of IngressValues). */
export interface IngressPlan {
  readonly subdomain?: string;
  readonly host?: string;
  readonly className?: string;
  readonly annotations?: { readonly [key: string]: string };
}

/**
 * Golden-chart props as JSON (a subset of DitApiProps / DitClientProps): what is printed
 * into the imported TypeScript file as an object literal.
 */
export interface GoldenPlanProps {
  readonly replicas?: number;
  /** Absent for a component that runs another's image (imageFrom). */
  readonly image?: {
    readonly repository: string;
    /** Absent when the image is pending everywhere (no tag CI built yet). */
    readonly tag?: string;
    readonly digest?: string;
    readonly registry?: 'docker.io';
    /** No environment can run the compose image as given: pending in every one (ImageValues.pending). */
    readonly pending?: true;
  };
  /** compose `entrypoint` (replaces the image's ENTRYPOINT). */
  readonly command?: readonly string[];
  /** compose `command` (replaces the image's CMD). */
  readonly args?: readonly string[];
  readonly resources?: {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly limits?: { readonly cpu?: string; readonly memory?: string };
  };
  readonly configs?: { readonly [key: string]: string };
  readonly infisical?: InfisicalPlan;
  readonly ingress?: IngressPlan;
  readonly suspend?: boolean;
  /** From the healthcheck: the check, its port and each probe's timing. */
  readonly probes?: ProbeValues;
  /** docker-registry Secrets of a private registry. */
  readonly imagePullSecrets?: readonly string[];
  /** PersistentVolumeClaims of the named volumes, by claim name. */
  readonly volumes?: { readonly [name: string]: VolumeValues };
  /** What differs per environment (ingress host and class, Infisical's sealed token). */
  readonly overrides?: { readonly [environment: string]: { readonly ingress?: IngressPlan; readonly infisical?: InfisicalPlan; readonly image?: { readonly pending: true } } };
}

/** A third-party chart (a database): DitHelmChart props as JSON. */
export interface ChartPlan {
  /** Helm repository URL (`oci://…`). */
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly values: { readonly [key: string]: unknown };
  readonly suspend?: boolean;
  /**
   * What differs per environment: values (an empty password allowed outside production), and
   * `suspend: true` where the environment's rules refuse the chart as given (it waits there).
   */
  readonly overrides?: { readonly [environment: string]: { readonly values?: { readonly [key: string]: unknown }; readonly suspend?: true } };
}

/** A connection the component opens: to another component, on the ports the app dials. */
export interface ConnectionPlan {
  /** Component name. */
  readonly target: string;
  readonly ports: readonly PortPlan[];
}

/** Egress to a host outside the project that the configuration dials (Peer.fqdn). */
export interface ExternalHostPlan {
  readonly host: string;
  readonly ports: readonly PortPlan[];
}

/** A one-shot compose service run as a Helm hook Job of the release (a migration). */
export interface HookJobPlan {
  /** The compose service's name. */
  readonly name: string;
  readonly command: readonly string[];
  readonly args?: readonly string[];
}

/** Traffic from the ingress controller to a public component. */
export interface IngressRulePlan {
  /** `traefik` uses Peer.traefik(); `nginx` the ingress-nginx controller pods. */
  readonly controller: 'traefik' | 'nginx';
  readonly port: PortPlan;
  /** @default - every environment of the component */
  readonly environments?: readonly string[];
}

/** One component of the project. */
export interface ComponentPlan {
  /** Compose service name. */
  readonly service: string;
  /** Component name (the service name; checked DNS-1123 by the parser). */
  readonly name: string;
  readonly kind: ComponentKind;
  readonly ports: readonly PortPlan[];
  /** @default - every environment */
  readonly environments?: readonly string[];
  /** Components whose HelmRelease must be ready first (depends_on). */
  readonly dependsOn: readonly string[];
  /** Components this one opens connections to, each on the ports the app dials. */
  readonly connectsTo: readonly ConnectionPlan[];
  /**
   * Hosts the configuration dials that verify cannot see offline (a chart's Service not named
   * after its release), with why. @default - none
   */
  readonly declaredHosts?: readonly { readonly host: string; readonly why: string }[];
  /** Hosts outside the project the configuration dials. @default - none */
  readonly externalHosts?: readonly ExternalHostPlan[];
  /** The component whose image this one runs (same compose image or build). @default - its own */
  readonly imageFrom?: string;
  /** One-shot services run as hook Jobs of this release. @default - none */
  readonly hookJobs?: readonly HookJobPlan[];
  readonly ingressFrom: readonly IngressRulePlan[];
  /**
   * Flux image automation with a semver range, per environment; suspended when auto-deploy is
   * off. @default - none (set-image)
   */
  readonly imageAutomation?: { readonly range: string; readonly environments: readonly string[]; readonly suspend?: boolean };
  /** For api, client and worker. */
  readonly golden?: GoldenPlanProps;
  /** For database. */
  readonly chart?: ChartPlan;
}

/** One line of the conversion report: a decision and why. */
export interface ReportLine {
  /** Service the decision is about, or `(project)`. */
  readonly service: string;
  readonly message: string;
}

/** The transform's result. */
export interface ProjectPlan {
  readonly project: string;
  readonly environments: readonly EnvironmentPlan[];
  /** Components in dependency order (a dependency before what depends on it). */
  readonly components: readonly ComponentPlan[];
  readonly report: readonly ReportLine[];
}

/** `service: message`, one line per decision. */
export function formatReport(report: readonly ReportLine[]): string {
  return report.map((line) => `${line.service}: ${line.message}`).join('\n');
}
